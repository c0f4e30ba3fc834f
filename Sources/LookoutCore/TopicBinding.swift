/// RabbitMQ's topic matching, for a worker that filters what its queue's bindings let through:
/// words separated by `.`, `*` matches exactly one word, `#` zero or more.
public enum TopicBinding {
    public static func matches(_ pattern: String, _ routingKey: String) -> Bool {
        matches(pattern.split(separator: ".", omittingEmptySubsequences: false)[...],
                routingKey.split(separator: ".", omittingEmptySubsequences: false)[...])
    }

    private static func matches(_ pattern: ArraySlice<Substring>, _ key: ArraySlice<Substring>) -> Bool {
        guard let word = pattern.first else { return key.isEmpty }
        if word == "#" {
            return (key.startIndex...key.endIndex).contains { matches(pattern.dropFirst(), key[$0...]) }
        }
        guard let first = key.first, word == "*" || word == first else { return false }
        return matches(pattern.dropFirst(), key.dropFirst())
    }
}
