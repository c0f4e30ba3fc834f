import ArgumentParser

/// Raw measurements for `ops/bench`: the ceilings Lookout's own paths are compared with, and the
/// synthetic data sets. Orchestration (services, processes, load, the table) stays in the script.
@main
struct LookoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout-bench",
        abstract: "Raw ceilings and data sets for ops/bench.",
        subcommands: [PublishCommand.self, InsertCeiling.self, LoadHistory.self, StagesCommand.self, NoopReceiverCommand.self,
                      OutboundHTTPCommand.self, TermCommand.self])
}
