import ArgumentParser

@main
struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "Zoom webhooks, verified, queued in RabbitMQ, stored in MongoDB and posted to Mattermost.",
        discussion: "Configuration comes from LOOKOUT_* environment variables and the file LOOKOUT_CONFIG_FILE names; `lookout config check` shows it. See docs/configuration.md.",
        subcommands: [Receive.self, Work.self, Web.self, TopologyCommand.self, Sign.self, Replay.self, Events.self,
                      ProjectionsCommand.self, StatusCommand.self, DeadLettersCommand.self, BackfillCommand.self, ReconcileCommand.self, ExportCommand.self, ConfigCommand.self])
}

struct Work: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a worker that consumes one queue.",
        subcommands: [StoreCommand.self, ProjectCommand.self, NotifyCommand.self, ReconcileWorkerCommand.self])
}
