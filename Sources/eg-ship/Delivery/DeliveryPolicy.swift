import Core

/// What one attempt's answer means for what it sent.
enum Answer: Equatable {
    /// Accepted: nothing left to send.
    case delivered
    /// Worth another attempt (a connection error, a timeout, 429 or 5xx, per-item errors that may
    /// pass later); `after` is the server's Retry-After in seconds, if it gave one.
    case retry(String, after: Double? = nil)
    /// Retrying cannot help (another 4xx, a refused login or certificate): give up now.
    case giveUp(String)

    /// The answer of an HTTP response from `peer`: 2xx delivered; 429 and 5xx retried (after
    /// Retry-After when the server sends one in seconds); any other status given up.
    init(_ r: HTTPResponse, from peer: String) {
        if r.isSuccess { self = .delivered; return }
        let reason = "\(peer): \(r.summary)"
        if Answer.isRetryable(status: r.status) {
            self = .retry(reason, after: r.header("Retry-After").flatMap(Answer.retryAfterSeconds))
        } else {
            self = .giveUp(reason)
        }
    }

    /// The answer of an error thrown by a transport: permanent failures (`NotRetryable`) are given
    /// up, every other error (connect, reset, timeout, malformed answer) is retried.
    init(_ error: Error) {
        if error is NotRetryable { self = .giveUp(describe(error)) } else { self = .retry(describe(error)) }
    }

    /// 429 and 5xx: the server may accept the same request (or item) later.
    static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// A Retry-After header in delay-seconds form (an HTTP date is not honoured: back-off applies).
    static func retryAfterSeconds(_ text: String) -> Double? {
        guard let v = Int(text.trimmed(" \t")), v >= 0 else { return nil }
        return Double(min(v, 3600))
    }
}

/// An error that retrying will not cure (a refused login, an untrusted certificate).
protocol NotRetryable: Error {}

/// eg-ship's one delivery policy, used by every network output: an attempt's `Answer` decides
/// whether to try again; attempts are spaced by exponential back-off (`baseDelay` x 2^k, at most
/// `maxDelay`, at least a server's Retry-After up to `maxRetryAfter`) with jitter from a seeded
/// generator; every wait and every I/O operation ends at the `shutdown` bound, after which what is
/// left is given up so it can be dead-lettered.
struct DeliveryPolicy: Sendable {
    /// Tries in all (the first attempt included).
    var attempts = 5
    var baseDelay = 0.5
    var maxDelay = 10.0
    /// The longest Retry-After that is honoured.
    var maxRetryAfter = 60.0
    /// Connect, send and response timeout of one I/O operation.
    var timeout = 30.0
    /// Consecutive failures after which a server leaves rotation (`httpeventAllowFailureCount`).
    var allowFailureCount = 3
    /// Seconds a failing server stays out of rotation.
    var cooldown = 30.0
    /// Seconds delivery may go on after shutdown begins (`--shutdown-timeout`).
    var shutdownTimeout = 5.0
    /// Seeds the jitter generators (each output draws from its own substream).
    var seed: UInt64 = 0
    /// The run's shutdown bound (and through it, the clock).
    var shutdown = Shutdown.never

    var clock: any DeliveryClock { shutdown.clock }

    /// The wait before retry number `k` (1-based): the back-off `baseDelay` x 2^(k-1) capped at
    /// `maxDelay`, of which the upper half is jitter (`d/2 + u x d/2`, u uniform in [0, 1)), and no
    /// less than `retryAfter` (capped at `maxRetryAfter`).
    func delay(beforeRetry k: Int, retryAfter: Double?, jitter: inout SeededRandom) -> Double {
        let d = min(maxDelay, baseDelay * Double(1 << min(max(k - 1, 0), 30)))
        let jittered = d / 2 + jitter.unit() * d / 2
        guard let ra = retryAfter else { return jittered }
        return max(jittered, min(ra, maxRetryAfter))
    }

    /// A retrier for the output `name` (its own jitter substream).
    func retrier(for name: String, stats: OutputStats) -> Retrier {
        Retrier(policy: self, jitter: SeededRandom(seed: seed, stream: "eg-ship/jitter/" + name), stats: stats)
    }
}

/// One output's use of the `DeliveryPolicy`: runs an attempt until its answer is delivered or given
/// up, the attempts run out, or the shutdown deadline passes, waiting out the back-off in between.
/// Attempts that keep state (the documents or commands still to send) keep it in their closure.
final class Retrier {
    let policy: DeliveryPolicy
    private var jitter: SeededRandom
    private let stats: OutputStats

    init(policy: DeliveryPolicy, jitter: SeededRandom, stats: OutputStats) {
        self.policy = policy
        self.jitter = jitter
        self.stats = stats
    }

    /// The text added to a reason when the shutdown bound ended the delivery.
    static let shutdownNote = " (shutdown timeout reached)"

    private static func ended(_ reason: String) -> String {
        reason.hasSuffix("shutdown timeout reached") || reason.hasSuffix("shutdown timeout reached)") ? reason : reason + shutdownNote
    }

    /// Runs `attempt` (given its 1-based number) until it is delivered; returns nil then, else the
    /// reason of the last answer.
    func run(_ attempt: (Int) -> Answer) -> String? {
        var reason = "not sent"
        var k = 1
        while true {
            if policy.shutdown.expired { return Retrier.ended(reason) }
            switch attempt(k) {
            case .delivered:
                return nil
            case .giveUp(let r):
                return r
            case .retry(let r, let after):
                reason = r
                guard k < max(1, policy.attempts) else { return r }
                if policy.shutdown.expired { return Retrier.ended(r) }
                stats.retries += 1
                let wait = policy.delay(beforeRetry: k, retryAfter: after, jitter: &jitter)
                guard policy.shutdown.sleep(wait) else { return Retrier.ended(r) }
                k += 1
            }
        }
    }
}
