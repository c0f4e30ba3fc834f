import ArgumentParser

/// Raw measurements for `ops/bench`: the ceilings Lookout's own paths are compared with, and the
/// synthetic data sets; the events ops/chaos and ops/cluster-test replay and the hostile-input
/// corpus ops/corpus sends. Orchestration (services, processes, load, the table) stays in ops/.
@main
struct LookoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout-bench",
        abstract: "Raw ceilings, data sets and test inputs for ops/.",
        subcommands: [PublishCommand.self, InsertCeiling.self, LoadHistory.self, StagesCommand.self, NoopReceiverCommand.self,
                      OutboundHTTPCommand.self, TermCommand.self, EventsCommand.self, CorpusCommand.self])
}
