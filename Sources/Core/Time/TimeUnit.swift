/// A unit of Splunk's relative time grammar (`s`, `m`, `h`, `d`, `w`, `mon`, `q`, `y`).
public enum TimeUnit: Hashable, Sendable {
    case second, minute, hour, day, week, month, quarter, year

    /// Reads a unit name: `s|sec|secs|second|seconds`, `m|min|mins|minute|minutes`,
    /// `h|hr|hrs|hour|hours`, `d|day|days`, `w|week|weeks`, `mon|month|months`,
    /// `q|qtr|qtrs|quarter|quarters`, `y|yr|yrs|year|years` (case-insensitive).
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "s", "sec", "secs", "second", "seconds": self = .second
        case "m", "min", "mins", "minute", "minutes": self = .minute
        case "h", "hr", "hrs", "hour", "hours": self = .hour
        case "d", "day", "days": self = .day
        case "w", "week", "weeks": self = .week
        case "mon", "month", "months": self = .month
        case "q", "qtr", "qtrs", "quarter", "quarters": self = .quarter
        case "y", "yr", "yrs", "year", "years": self = .year
        default: return nil
        }
    }
}
