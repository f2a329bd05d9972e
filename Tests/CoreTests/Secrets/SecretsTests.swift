import Foundation
import Testing
@testable import Core

@Suite struct SecretsTests {
    @Test func environmentNamesAreUpperCasedWithUnderscores() {
        #expect(Secrets.environmentName("es-password") == "EG_SECRET_ES_PASSWORD")
        #expect(Secrets.environmentName("hec.token2") == "EG_SECRET_HEC_TOKEN2")
    }

    @Test func urlPasswordsAreHidden() {
        #expect(Secrets.redact("POST https://elastic:s3cr3t!@es.local:9200/_bulk failed")
                == "POST https://elastic:***@es.local:9200/_bulk failed")
        #expect(Secrets.redact("http://host:8123/?q=a:b@c") == "http://host:8123/?q=a:b@c")
        #expect(Secrets.redact("no url here: a:b@c") == "no url here: a:b@c")
    }

    @Test func registeredAndLoadedValuesAreRedacted() throws {
        let path = NSTemporaryDirectory() + "eg-secrets-\(getpid()).txt"
        try "# test\nhec_token = \"9f1c-unit-token\"\n\nes_key: abcKEY123\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        try Secrets.load(file: path)
        #expect(Secrets.value(named: "hec_token") == "9f1c-unit-token")
        #expect(Secrets.value(named: "es_key") == "abcKEY123")
        #expect(Secrets.value(named: "missing-\(getpid())") == nil)
        #expect(Secrets.redact("token 9f1c-unit-token and abcKEY123") == "token *** and ***")
        Secrets.register("p@ss-unit")
        #expect(Secrets.redact("auth p@ss-unit") == "auth ***")
    }

    @Test func malformedFilesNameTheLine() throws {
        let path = NSTemporaryDirectory() + "eg-secrets-bad-\(getpid()).txt"
        try "ok = 1\njust words\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        #expect { try Secrets.load(file: path) } throws: { e in
            (e as? EgError)?.description == "\(path):2: expected 'name = value'"
        }
    }
}
