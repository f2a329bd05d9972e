/// LSD radix sort of 64-bit keys (11-bit digits, only as many passes as the largest key needs):
/// sorting an interval's event times is the main cost of generation, and this beats a comparison sort.
enum RadixSort {
    static func sort(_ keys: inout [UInt64], scratch: inout [UInt64]) {
        let n = keys.count
        guard n > 1 else { return }
        if n < 256 { keys.sort(); return }
        var maxKey: UInt64 = 0
        for k in keys where k > maxKey { maxKey = k }
        let bits = 64 - maxKey.leadingZeroBitCount
        if scratch.count < n { scratch = [UInt64](repeating: 0, count: n) }
        var counts = [Int](repeating: 0, count: 2048)
        var shift = 0
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var src = a, dst = b
                var swapped = false
                while shift < bits {
                    for i in 0..<2048 { counts[i] = 0 }
                    for k in 0..<n { counts[Int((src[k] >> UInt64(shift)) & 2047)] += 1 }
                    var sum = 0
                    for i in 0..<2048 { let c = counts[i]; counts[i] = sum; sum += c }
                    for k in 0..<n {
                        let v = src[k]
                        let d = Int((v >> UInt64(shift)) & 2047)
                        dst[counts[d]] = v
                        counts[d] += 1
                    }
                    swap(&src, &dst)
                    swapped.toggle()
                    shift += 11
                }
                if swapped { for k in 0..<n { a[k] = b[k] } }
            }
        }
    }
}
