/// Amounts of money as people read them: `£0.96`, `€12.40`, `$3.10`, `CHF 1.20`.
public enum Money {
  public static let symbols = ["GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹", "AUD": "A$", "CAD": "C$"]

  public static func format(_ amount: Double, currency: String) -> String {
    guard amount.isFinite else { return "?" }
    let digits = FixedPoint.string(abs(amount), decimals: 2)
    let sign = amount < -0.004_999 ? "-" : ""
    if let symbol = symbols[currency] { return sign + symbol + digits }
    return "\(currency) \(sign)\(digits)"
  }
}
