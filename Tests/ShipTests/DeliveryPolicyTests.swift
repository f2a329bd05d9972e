import Foundation
import Synchronization
import Testing
import Core
@testable import eg_ship

/// A clock that only moves when delivery waits: tests of back-off, Retry-After, cool-downs and the
/// shutdown bound run in no real time and see every wait.
final class VirtualClock: DeliveryClock {
    private let time = Mutex<Double>(1000)
    private let log = Mutex<[Double]>([])

    func now() -> Double { time.withLock { $0 } }
    func sleep(_ seconds: Double) {
        time.withLock { $0 += max(0, seconds) }
        log.withLock { $0.append(seconds) }
    }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    /// The sum of all waits so far.
    var slept: Double { log.withLock { $0.reduce(0, +) } }
}

@Suite struct ShipDeliveryPolicyTests {
    func policy(_ clock: VirtualClock, attempts: Int = 5, seed: UInt64 = 7) -> DeliveryPolicy {
        var p = DeliveryPolicy()
        p.attempts = attempts
        p.baseDelay = 0.5
        p.maxDelay = 10
        p.seed = seed
        p.shutdown = Shutdown(clock: clock)
        return p
    }

    /// The waits between attempts of a retrier whose every answer is `answer`.
    func waits(_ p: DeliveryPolicy, _ answer: Answer) -> (reason: String?, attempts: Int, waits: [Double], retries: Int) {
        let stats = OutputStats()
        let r = p.retrier(for: "out", stats: stats)
        var times: [Double] = []
        var n = 0
        let reason = r.run { _ in
            n += 1
            times.append(p.clock.now())
            return answer
        }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        return (reason, n, gaps, stats.retries)
    }

    @Test func exponentialBackoffWithJitterInItsBounds() {
        let clock = VirtualClock()
        let (reason, attempts, gaps, retries) = waits(policy(clock, attempts: 8), .retry("HTTP 503"))
        #expect(reason == "HTTP 503")
        #expect(attempts == 8)
        #expect(retries == 7)
        let nominal = [0.5, 1, 2, 4, 8, 10, 10]
        #expect(gaps.count == nominal.count)
        for (g, d) in zip(gaps, nominal) {
            #expect(g >= d / 2 - 1e-9 && g <= d + 1e-9, "wait \(g) outside [\(d / 2), \(d)]")
        }
        // Jitter: the waits are not all at one end of their ranges.
        #expect(Set(zip(gaps, nominal).map { (($0 / $1) * 100).rounded() }).count > 3)
    }

    @Test func jitterIsSeededAndPerOutput() {
        func gaps(_ seed: UInt64, _ name: String) -> [Double] {
            var j = SeededRandom(seed: seed, stream: "eg-ship/jitter/" + name)
            let p = policy(VirtualClock(), seed: seed)
            return (1...6).map { p.delay(beforeRetry: $0, retryAfter: nil, jitter: &j) }
        }
        #expect(gaps(1, "a") == gaps(1, "a"))
        #expect(gaps(1, "a") != gaps(2, "a"))
        #expect(gaps(1, "a") != gaps(1, "b"))
    }

    @Test func retryAfterIsHonouredUpToItsCap() {
        let clock = VirtualClock()
        let (_, _, gaps, _) = waits(policy(clock, attempts: 2), .retry("HTTP 429", after: 7))
        #expect(gaps.count == 1 && gaps[0] >= 7 && gaps[0] < 7.1)
        let (_, _, capped, _) = waits(policy(clock, attempts: 2), .retry("HTTP 429", after: 3600))
        #expect(capped.count == 1 && capped[0] >= 60 && capped[0] < 60.1)
    }

    @Test func giveUpAndDeliveredEndAtOnce() {
        let clock = VirtualClock()
        let fatal = waits(policy(clock), .giveUp("HTTP 403"))
        #expect(fatal.reason == "HTTP 403" && fatal.attempts == 1 && fatal.retries == 0)
        let stats = OutputStats()
        let r = policy(clock).retrier(for: "x", stats: stats)
        let reason = r.run { k in k < 3 ? .retry("reset") : .delivered }
        #expect(reason == nil)
        #expect(stats.retries == 2)
    }

    @Test func shutdownBoundEndsRetriesAtTheDeadline() {
        let clock = VirtualClock()
        var p = policy(clock, attempts: 1000)
        p.baseDelay = 1
        p.shutdown.begin(timeout: 3)
        let start = clock.now()
        let (reason, attempts, _, _) = waits(p, .retry("connection refused"))
        #expect(reason == "connection refused" + Retrier.shutdownNote)
        #expect(clock.now() - start <= 3 + 1e-9)
        #expect(clock.now() - start >= 3 - 1e-9)
        #expect(attempts >= 2 && attempts <= 6)
        // Once the deadline has passed, nothing is attempted at all.
        let (late, none, _, _) = waits(p, .delivered)
        #expect(late == "not sent" + Retrier.shutdownNote)
        #expect(none == 0)
        // An earlier deadline is kept when shutdown begins again.
        let d = p.shutdown.deadline
        p.shutdown.begin(timeout: 100)
        #expect(p.shutdown.deadline == d)
    }

    @Test func answersOfHTTPStatusesAndErrors() {
        func answer(_ status: Int, _ headers: [(String, String)] = []) -> Answer {
            Answer(HTTPResponse(status: status, headers: headers, body: Array("busy".utf8)), from: "http://h:1")
        }
        #expect(answer(200) == .delivered)
        #expect(answer(204) == .delivered)
        #expect(answer(503) == .retry("http://h:1: HTTP 503: busy", after: nil))
        #expect(answer(503, [("Retry-After", "12")]) == .retry("http://h:1: HTTP 503: busy", after: 12))
        #expect(answer(429, [("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]) == .retry("http://h:1: HTTP 429: busy", after: nil))
        #expect(answer(429, [("Retry-After", "-5")]) == .retry("http://h:1: HTTP 429: busy", after: nil))
        for s in [400, 401, 403, 404, 413, 301, 600, 0] {
            #expect(answer(s) == .giveUp("http://h:1: HTTP \(s): busy"), "\(s)")
        }
        #expect(Answer(EgError.runtime(at: "h:1", "cannot connect: Connection refused")) == .retry("h:1: cannot connect: Connection refused"))
        #expect(Answer(RedisRefused(description: "AUTH failed")) == .giveUp("AUTH failed"))
        #expect(Answer(CertificateRefused(description: "bad cert")) == .giveUp("bad cert"))
    }

    @Test func serverPoolCoolsDownOnTheClock() throws {
        let clock = VirtualClock()
        let transport = HTTPConnection(endpoint: HTTPEndpoint(scheme: "http", host: "127.0.0.1", port: 9), timeout: 1, shutdown: .never)
        let a = ServerPool<String>.Member(server: "a", transport: transport)
        let b = ServerPool<String>.Member(server: "b", transport: transport)
        let pool = ServerPool([a, b], allowFailureCount: 2, cooldown: 30, clock: clock)
        #expect(!pool.failed(a))
        #expect(pool.failed(a))   // leaves rotation
        #expect((0..<4).map { _ in pool.pick().server } == ["b", "b", "b", "b"])
        clock.advance(30)
        #expect(Set((0..<4).map { _ in pool.pick().server }) == ["a", "b"])
    }
}
