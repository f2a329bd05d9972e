/// What a render writes: bytes in memory of the buffer's own, written through a raw pointer, the
/// capacity kept from one render to the next (an `[UInt8]` append is a uniqueness and capacity
/// check and a generic call, ~100 instructions, per text and value).
///
/// A value type over manually managed memory: its owner (`RenderState`) frees it with
/// `deallocate()`; a copy shares the bytes, so only one copy is ever written or freed.
struct RenderOutput {
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The bytes written; setting it lower takes the last ones off.
    var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    /// The bytes written (valid until the buffer next changes).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes from `start` on, as a string.
    func string(from start: Int = 0) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
    }

    /// Room for `n` more bytes: where they go. Write them, then add their number to `count`.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if count &+ n > capacity { grow(count &+ n) }
        return base + count
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let d = reserve(bytes.count)
        if let s = bytes.baseAddress { d.update(from: s, count: bytes.count) }
        count &+= bytes.count
    }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1).pointee = b
        count &+= 1
    }

    /// The UTF-8 bytes of `s`, in one copy (read in place: `withUTF8` would take a copy of `s`).
    @inline(__always)
    mutating func appendUTF8(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var s = s
            s.withUTF8 { append($0) }
        }
    }

    /// The decimal digits of `i`, as `ValueText.appendInt` writes them.
    @inline(__always)
    mutating func appendInt(_ i: Int) {
        let p = reserve(21)
        if i < 0 {
            p.pointee = 45
            count &+= 1 &+ EpochText.writeDecimal(UInt64(i.magnitude), to: p + 1)
        } else {
            count &+= EpochText.writeDecimal(UInt64(i), to: p)
        }
    }

    /// The `tojson` text of a string (`ValueText.appendJSONString`), escaped in place.
    mutating func appendJSONString(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ appendJSONString(bytes: $0) }) == nil {
            var s = s
            s.withUTF8 { appendJSONString(bytes: $0) }
        }
    }

    mutating func appendJSONString(bytes b: UnsafeBufferPointer<UInt8>) {
        let p = reserve(PythonJSON.bound(b.count))
        count &+= PythonJSON.writeString(bytes: b, ensureASCII: true, htmlSafe: true, into: p)
    }

    /// `s` with ASCII letters lowered (or raised), as `ValueText.asciiCased` makes it, when `s`
    /// is all ASCII; false, writing nothing, otherwise.
    mutating func appendASCIICased(_ s: String, upper: Bool) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { src in
            let n = src.count
            let d = reserve(n)
            let from: UInt8 = upper ? 0x61 : 0x41
            for k in 0..<n {
                let b = src[k]
                if b >= 0x80 { return false }
                d[k] = b &- from < 26 ? b ^ 0x20 : b
            }
            count &+= n
            return true
        } ?? false
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var c = capacity &* 2
        while c < needed { c &*= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }
}
