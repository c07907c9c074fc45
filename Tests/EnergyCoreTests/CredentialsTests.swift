import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct CredentialsTests {
  @Test(arguments: [
    ("cannot reach mqtt://home:s3cret@broker.lan:1883 (refused)", "cannot reach mqtt://home:***@broker.lan:1883 (refused)"),
    ("https://u:p%40ss@c.example/energy failed", "https://u:***@c.example/energy failed"),
    ("--collector: http://a:b@h:99999, mqtts://x:y@z", "--collector: http://a:***@h:99999, mqtts://x:***@z"),
    ("no password: mqtt://user@h and a@b mail", "no password: mqtt://user@h and a@b mail"),
    ("plain text", "plain text"),
    ("expected mqtt://[user:password@]host[:port]", "expected mqtt://[user:password@]host[:port]"),
  ])
  func passwordsInURLsBecomeStars(text: String, shown: String) {
    #expect(Credentials.redacted(text) == shown)
  }
}
