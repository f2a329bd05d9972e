import Foundation
import Testing
@testable import Core

/// Secret-bearing keys, the HEC key scanner, URL passwords and `${secrets.NAME}` references.
@Suite struct SecretSettingsTests {
    @Test func secretKeysAreRecognisedButReplacementTokensAreNot() {
        for k in ["elasticsearchPassword", "elasticsearchApiKey", "redisPassword", "splunkPass", "sessionKey",
                  "accessToken", "hecToken", "my.client_secret", "api_key", "PASSWD"] {
            #expect(Secrets.isSecretKey(k), "\(k)")
        }
        for k in ["token.0.token", "token.3.replacement", "host.token", "host.replacement", "redisKey", "elasticsearchUser", "index", "httpeventServers", "passage"] {
            #expect(!Secrets.isSecretKey(k), "\(k)")
        }
    }

    @Test func hecKeysAreFoundEvenInBrokenJSON() {
        #expect(Secrets.keyMembers("{\"servers\":[{\"key\":\"t1\"},{\"key\" : \"t2\"}]}") == ["t1", "t2"])
        #expect(Secrets.keyMembers("{\"servers\":[{\"port\":\"x\",\"key\":\"t3\"") == ["t3"])
        #expect(Secrets.keyMembers("{servers:[{key: t4, port: 1}]}") == ["t4"])
        #expect(Secrets.keyMembers("{\"monkey\":\"no\",\"keys\":\"no\"}") == [])
    }

    @Test func urlPasswordsAreExtracted() {
        #expect(Secrets.urlPasswords("https://u:p%40ss@h:9200/x and http://a:b@c") == ["p%40ss", "b"])
        #expect(Secrets.urlPasswords("http://host:9200/?q=a:b@c") == [])
    }

    @Test func settingsRegisterTheirSecretsForRedaction() {
        var s = Settings(stanza: "x")
        s.set("redisPassword", "unit-redis-pw-1")
        s.set("httpeventServers", "{\"servers\":[{\"key\":\"unit-hec-key-1\"}]}")
        s.set("token.0.replacement", "unit-not-secret")
        s.set("elasticsearchPassword", "${secrets.unit_ref}")
        s.set("redisPassword", "abc")   // too short to be a secret: not hidden everywhere
        #expect(Secrets.redact("a unit-redis-pw-1 b unit-hec-key-1 c unit-not-secret") == "a *** b *** c unit-not-secret")
        #expect(Secrets.redact("${secrets.unit_ref}") == "${secrets.unit_ref}")
        #expect(Secrets.redact("abc") == "abc")
    }

    @Test func referencesResolveFromTheEnvironmentAndFailByName() throws {
        setenv("EG_SECRET_UNIT_ES", "unit-es-value", 1)
        #expect(try Secrets.resolve("Bearer ${secrets.unit_es}!") == "Bearer unit-es-value!")
        #expect(Secrets.redact("x unit-es-value") == "x ***")
        #expect(try Secrets.resolve("no reference") == "no reference")
        #expect(try Secrets.resolve("${secrets.unclosed") == "${secrets.unclosed")
        #expect(throws: Secrets.Missing.self) { try Secrets.resolve("${secrets.unit_never_set}") }
        do { _ = try Secrets.resolve("${secrets.unit_never_set}") } catch let e as Secrets.Missing {
            #expect(e.advice == "the secret 'unit_never_set' is not set: export EG_SECRET_UNIT_NEVER_SET or give it in --secrets FILE")
        }
    }

    /// Bounded fuzz: the scanners and the resolver take any text without trapping.
    @Test func fuzzedTextNeverTraps() {
        var rng = SeededRandom(seed: 12, stream: "secrets-fuzz")
        let alphabet = Array("key\"':{}[], ://@$secrets.{}x\n\t%".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<3000 {
            let n = rng.index(40)
            let bytes = (0..<n).map { _ in alphabet[rng.index(alphabet.count)] }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = Secrets.keyMembers(text)
            _ = Secrets.urlPasswords(text)
            _ = try? Secrets.resolve(text)
            _ = Secrets.redact(text)
        }
    }
}
