import Foundation

/// A JSON value read with its path, so every complaint about the rules file names the field at fault.
struct RulesNode {
    let value: JSONValue
    let path: String

    func object(keys allowed: Set<String>) throws(RulesError) -> [String: RulesNode] {
        guard case .object(let members) = value else { throw problem("expected an object") }
        var nodes: [String: RulesNode] = [:]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            guard allowed.contains(key) else {
                throw RulesError(path: child(key), problem: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            nodes[key] = RulesNode(value: value, path: child(key))
        }
        return nodes
    }

    /// Members of an object whose keys are names (the hooks).
    func members() throws(RulesError) -> [(String, RulesNode)] {
        guard case .object(let members) = value else { throw problem("expected an object") }
        return members.sorted { $0.key < $1.key }.map { ($0.key, RulesNode(value: $0.value, path: child($0.key))) }
    }

    func array() throws(RulesError) -> [RulesNode] {
        guard case .array(let items) = value else { throw problem("expected a list") }
        return items.enumerated().map { RulesNode(value: $0.element, path: "\(path)[\($0.offset)]") }
    }

    func string() throws(RulesError) -> String {
        guard case .string(let text) = value else { throw problem("expected a string") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw problem("must not be empty") }
        return text
    }

    /// A string, or a number written as one (meeting ids).
    func identifier() throws(RulesError) -> String {
        if case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return try string()
    }

    func strings() throws(RulesError) -> [String] {
        var result: [String] = []
        for item in try array() { result.append(try item.string()) }
        return result
    }

    func number(in range: ClosedRange<Double>) throws(RulesError) -> Double {
        guard case .number(let number) = value, range.contains(number) else {
            throw problem("expected a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func integer(in range: ClosedRange<Int>) throws(RulesError) -> Int {
        guard case .number(let number) = value, number == number.rounded(), range.contains(Int(number)) else {
            throw problem("expected a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(number)
    }

    func problem(_ text: String) -> RulesError { RulesError(path: path, problem: text) }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

public struct RulesError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The field at fault, e.g. `routes[1].hooks[0]`.
    public let path: String
    public let problem: String

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}

enum JSONValue: Decodable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
