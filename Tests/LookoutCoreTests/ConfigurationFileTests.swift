import Testing
@testable import LookoutCore

@Suite struct ConfigurationFileTests {
    @Test func readsTheEnvFileFormat() throws {
        let text = """
            # Lookout
            LOOKOUT_AMQP_URL=amqp://lookout:pw@rabbit:5672/

            export LOOKOUT_LOG_FORMAT=json\r
              LOOKOUT_WEB_TITLE = "Lookout — Physics"
            LOOKOUT_EXPORT_ALLOWED_NAMES='Ada, Grace'
            LOOKOUT_NOTIFY_EVENTS=
            """
        let entries = try ConfigurationFile.parse(text)
        #expect(entries.map(\.key) == ["LOOKOUT_AMQP_URL", "LOOKOUT_LOG_FORMAT", "LOOKOUT_WEB_TITLE",
                                       "LOOKOUT_EXPORT_ALLOWED_NAMES", "LOOKOUT_NOTIFY_EVENTS"])
        #expect(entries.map(\.value) == ["amqp://lookout:pw@rabbit:5672/", "json", "Lookout — Physics", "Ada, Grace", ""])
        #expect(entries.map(\.line) == [2, 4, 5, 6, 7])
    }

    @Test(arguments: [
        ("LOOKOUT_A=1\nnot a setting", "line 2: expected KEY=VALUE"),
        ("PATH=/usr/bin", "line 1: \"PATH\" is not a LOOKOUT_* key"),
        ("lookout_http_port=1", "is not a LOOKOUT_* key"),
        ("LOOKOUT_A=1\nLOOKOUT_A=2", "line 2: LOOKOUT_A already set on line 1"),
        ("LOOKOUT_A=\"open", "line 1: unterminated quote"),
        ("LOOKOUT_CONFIG_FILE=/etc/other", "cannot name another file"),
    ])
    func refusesWhatItCannotRead(text: String, problem: String) {
        #expect {
            try ConfigurationFile.parse(text, path: "/etc/lookout/lookout.env")
        } throws: { error in
            let error = error as! ConfigurationError
            return error.key == "LOOKOUT_CONFIG_FILE" && error.problem.hasPrefix("/etc/lookout/lookout.env line")
                && error.problem.contains(problem)
        }
    }

    @Test func theEnvironmentWinsOverTheFile() throws {
        let file = "LOOKOUT_HTTP_PORT=9000\nLOOKOUT_WEB_PORT=9001\n"
        let configuration = try Configuration.load(
            environment: ["LOOKOUT_CONFIG_FILE": "/cfg", "LOOKOUT_HTTP_PORT": "8000", "HOME": "/root"],
            read: { $0 == "/cfg" ? file : nil })
        #expect(try configuration.value(ConfigurationKeys.Receive.port) == 8000)
        #expect(try configuration.value(ConfigurationKeys.Web.port) == 9001)
        #expect(configuration.origin(of: "LOOKOUT_HTTP_PORT") == .environment)
        #expect(configuration.origin(of: "LOOKOUT_WEB_PORT") == .file)
        #expect(Set(configuration.lookoutKeys.keys) == ["LOOKOUT_CONFIG_FILE", "LOOKOUT_HTTP_PORT", "LOOKOUT_WEB_PORT"])
    }

    @Test func anUnreadableFileIsAnError() {
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(environment: ["LOOKOUT_CONFIG_FILE": "/missing"], read: { _ in nil })
        }
        #expect(throws: Never.self) { try Configuration.load(environment: [:], read: { _ in nil }) }
    }

    @Test func theRecorderNotesKeysDefaultsAndSecrets() throws {
        let recorder = ConfigurationRecorder()
        let configuration = Configuration(environment: ["LOOKOUT_ZOOM_SECRET_TOKEN": "a,b"]).recording(into: recorder)
        _ = try configuration.value(ConfigurationKeys.Receive.port)
        _ = try configuration.value(ConfigurationKeys.Web.termStart)
        #expect(try configuration.value(ConfigurationKeys.Receive.secretToken) == ["a", "b"])
        let recorded = recorder.recorded
        #expect(recorded["LOOKOUT_HTTP_PORT"]?.defaultValue == "8080")
        #expect(recorded["LOOKOUT_WEB_TERM_START"] == .init(key: "LOOKOUT_WEB_TERM_START", defaultValue: nil, isSecret: false))
        #expect(recorded["LOOKOUT_ZOOM_SECRET_TOKEN"]?.isSecret == true)
        #expect(recorded["LOOKOUT_ZOOM_SECRET_TOKEN_FILE"]?.isSecret == false)
    }
}
