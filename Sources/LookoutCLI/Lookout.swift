import ArgumentParser

@main
struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "Zoom webhooks, verified, queued in RabbitMQ, stored in MongoDB and posted to Mattermost.",
        discussion: "Configuration comes from LOOKOUT_* environment variables; see docs/configuration.md.",
        subcommands: [Receive.self, Work.self, Web.self, TopologyCommand.self, Sign.self, Replay.self, Events.self,
                      ProjectionsCommand.self, StatusCommand.self, DeadLettersCommand.self, BackfillCommand.self, ExportCommand.self])
}

struct Work: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a worker that consumes one queue.",
        subcommands: [StoreCommand.self, ProjectCommand.self, NotifyCommand.self])
}
