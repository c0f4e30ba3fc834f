/// Zoom's rate-limit classes ("Rate Limit Label" in its API reference). Each class has its own
/// per-second (or per-minute) limit per account, shared by every app installed on it; Heavy and
/// Resource-intensive also draw on one daily cap.
public enum ZoomRateClass: String, Sendable, CaseIterable, Hashable {
    /// `/past_meetings/{id}/instances`.
    case medium
    /// Participant lists (Dashboard and Report) and the meeting report.
    case heavy
    /// The Dashboard's meeting list `/metrics/meetings`.
    case resourceIntensive = "resource_intensive"

    /// Whether requests of this class count towards the daily cap.
    public var isDailyCapped: Bool { self != .medium }
}

/// The account's plan, as far as rate limits go: Pro, or Business+ (Business, Education,
/// Enterprise, Partner).
public enum ZoomPlan: String, Sendable, CaseIterable {
    case pro, business

    /// Zoom's limit for a class: requests per `window` (a second, or a minute for Resource-intensive).
    public func limit(_ rateClass: ZoomRateClass) -> (requests: Int, window: ZoomRateLimits.Window) {
        switch (self, rateClass) {
        case (.pro, .medium): (20, .second)
        case (.business, .medium): (60, .second)
        case (.pro, .heavy): (10, .second)
        case (.business, .heavy): (40, .second)
        case (.pro, .resourceIntensive): (10, .minute)
        case (.business, .resourceIntensive): (20, .minute)
        }
    }

    /// Heavy + Resource-intensive requests a day, for the whole account.
    public var dailyCap: Int { self == .pro ? 30_000 : 60_000 }
}

/// How fast, and how much a day, Lookout may call Zoom's API.
public struct ZoomRateLimits: Sendable, Equatable {
    public enum Window: Sendable, Equatable { case second, minute }

    public struct Rate: Sendable, Equatable {
        public var requests: Int
        public var window: Window

        public init(_ requests: Int, per window: Window) {
            self.requests = requests
            self.window = window
        }
    }

    public var plan: ZoomPlan
    public var rates: [ZoomRateClass: Rate]
    /// Percent of the plan's daily cap this deployment may use (the rest is left to the other
    /// apps on the account).
    public var dailySharePercent: Int
    /// How long a `Window` lasts. Real time in production; tests shrink both together with the
    /// contract server's, so the ratios that matter (requests per window against the limit) stay Zoom's.
    public var second: Duration = .seconds(1)
    public var minute: Duration = .seconds(60)
    /// Overrides the plan's daily cap (a test's shrunk day); nil: the plan's.
    public var dailyCapOverride: Int?

    /// 80 % of each of the plan's limits (the per-second limits are shared with the other apps
    /// too) and `dailySharePercent` of its daily cap.
    public init(plan: ZoomPlan = .pro, dailySharePercent: Int = 50) {
        self.plan = plan
        self.dailySharePercent = dailySharePercent
        rates = Dictionary(uniqueKeysWithValues: ZoomRateClass.allCases.map { rateClass in
            let limit = plan.limit(rateClass)
            return (rateClass, Rate(max(1, limit.requests * 8 / 10), per: limit.window))
        })
    }

    /// Requests a day this deployment may make (Heavy + Resource-intensive together).
    public var dailyBudget: Int { max(1, (dailyCapOverride ?? plan.dailyCap) * dailySharePercent / 100) }

    public func rate(_ rateClass: ZoomRateClass) -> Rate { rates[rateClass] ?? Rate(1, per: .second) }

    /// The time between two requests of a class at its rate.
    public func interval(_ rateClass: ZoomRateClass) -> Duration {
        let rate = rate(rateClass)
        return duration(rate.window) / max(rate.requests, 1)
    }

    public func duration(_ window: Window) -> Duration { window == .second ? second : minute }
}
