import Testing
@testable import RoninCore

/// Configuration parsing: defaults, validation, and .env files.
@Suite(.timeLimit(.minutes(2))) struct SettingsTests {
    @Test func defaultsNeedNoConfiguration() throws {
        let settings = try Settings(environment: [:], workingDirectory: "/srv/ronin")
        #expect(settings.port == 8080)
        #expect(settings.dataDirectory == "/srv/ronin/data")
        #expect(settings.database == .sqlite(path: "/srv/ronin/data/ronin.sqlite"))
        #expect(settings.storageRoot == "/srv/ronin/data/storage")
        #expect(settings.jwtSecret == nil && settings.encryptionKey == nil && settings.adminPassword == nil)
        #expect(settings.loginMaxFailures == 5)
    }

    @Test func readsDatabaseURLs() throws {
        let postgres = try Settings(environment: ["DATABASE_URL": "postgres://u:p@db:5432/ronin"])
        #expect(postgres.database == .postgres(url: "postgres://u:p@db:5432/ronin"))
        #expect(postgres.database.kind == .postgresql)
        let sqlite = try Settings(environment: ["DATABASE_URL": "sqlite:///var/lib/ronin/db.sqlite"], workingDirectory: "/x")
        #expect(sqlite.database == .sqlite(path: "/var/lib/ronin/db.sqlite"))
        let relative = try Settings(environment: ["DATABASE_URL": "sqlite://db.sqlite"], workingDirectory: "/x")
        #expect(relative.database == .sqlite(path: "/x/db.sqlite"))
    }

    @Test(arguments: [
        ("RONIN_PORT", "http"), ("RONIN_PORT", "70000"), ("DATABASE_URL", "mysql://x"), ("DATABASE_URL", "postgres://"),
        ("ENCRYPTION_KEY", "not-a-key"), ("JWT_SECRET_KEY", "short"), ("JWT_SECRET_KEY", "twenty-one-characters"), ("LOG_LEVEL", "loud"), ("COOKIE_SECURE", "maybe"),
        ("RONIN_ADMIN_PASSWORD", "1234"), ("CAMERA_PROBE_TIMEOUT_SECONDS", "0"),
    ])
    func rejectsBadValuesByName(name: String, value: String) {
        #expect {
            try Settings(environment: [name: value])
        } throws: { error in
            (error as? Settings.Problem)?.name == name
        }
    }

    @Test func problemsNeverEchoDatabasePasswords() {
        #expect {
            try Settings(environment: ["DATABASE_URL": "mysql://u:pw@h/db"])
        } throws: { error in
            !String(describing: error).contains("pw@")
        }
    }

    @Test func parsesDotEnvFiles() throws {
        let values = try DotEnvFile.parse("""
        # comment
        RONIN_PORT=9090
        export LOG_LEVEL=debug
        JWT_SECRET_KEY="a value with # and \\"quotes\\"\\n"
        STORAGE_ROOT='/mnt/footage # not a comment'
        RETENTION_DAYS=30 # inline comment

        """)
        #expect(values["RONIN_PORT"] == "9090")
        #expect(values["LOG_LEVEL"] == "debug")
        #expect(values["JWT_SECRET_KEY"] == "a value with # and \"quotes\"\n")
        #expect(values["STORAGE_ROOT"] == "/mnt/footage # not a comment")
        #expect(values["RETENTION_DAYS"] == "30")
    }

    @Test func reportsDotEnvErrorsWithLineNumbers() {
        #expect(throws: DotEnvFile.ParseError(line: 2, message: "expected KEY=value")) { try DotEnvFile.parse("A=1\njust words\n") }
        #expect(throws: DotEnvFile.ParseError.self) { try DotEnvFile.parse("A=\"open") }
        #expect(throws: DotEnvFile.ParseError.self) { try DotEnvFile.parse("1ABC=x") }
    }

    @Test func helpListsEverySetting() {
        let help = SettingsCatalog.helpText()
        for name in ["DATABASE_URL", "STORAGE_ROOT", "JWT_SECRET_KEY", "ENCRYPTION_KEY", "RONIN_ADMIN_PASSWORD"] {
            #expect(help.contains(name))
        }
    }
}
