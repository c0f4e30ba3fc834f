import LookoutCore

/// Why the store could not do what was asked.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The URI or options are wrong: fix the configuration.
    case invalidConfiguration(String)
    /// The server cannot be reached or did not acknowledge: try again later.
    case unavailable(String)
    /// A document that can never be stored (not a JSON object, ...).
    case invalidDocument(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "store configuration: \(why)"
        case .unavailable(let why): "store unavailable: \(why)"
        case .invalidDocument(let why): "invalid document: \(why)"
        }
    }
}

extension StoreError: RetryClassified {
    /// The store being away passes; a document MongoDB refuses does not (the work goes back to
    /// its queue, where the delivery limit ends a loop). A wrong URI is fixed by a restart, which
    /// is how an operator corrects it, so workers keep trying meanwhile.
    public var retryAdvice: RetryAdvice {
        if case .invalidDocument = self { return .permanent }
        return .retryable
    }
}
