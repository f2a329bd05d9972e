/// The byte-level path's output: bytes in manually managed memory, written through a raw pointer
/// (`reserve` room, write, `didWrite`), so the pieces of an event cost a copy each and no
/// uniqueness, capacity or exclusivity check, as appends to an `[UInt8]` do.
struct ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    var isEmpty: Bool { count == 0 }
    /// The bytes written (valid until the buffer changes).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Room for `n` more bytes: where they go. Write them, then `didWrite(upTo:)` their end.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if count &+ n > capacity { grow(count &+ n) }
        return base + count
    }

    /// Counts the bytes written from `reserve`'s pointer up to `end`.
    @inline(__always)
    mutating func didWrite(upTo end: UnsafeMutablePointer<UInt8>) { count = end - base }

    /// Appends `bytes`.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let d = reserve(bytes.count)
        if let s = bytes.baseAddress { d.update(from: s, count: bytes.count) }
        count &+= bytes.count
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1).pointee = b
        count &+= 1
    }

    mutating func removeAll() { count = 0 }

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
