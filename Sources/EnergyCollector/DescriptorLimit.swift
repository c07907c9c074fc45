import Foundation

/// The process's open-file limit, which bounds how many clients can be connected at once.
enum DescriptorLimit {
  /// Raises the soft limit to the hard one (at most 65,536) and returns the limit in force.
  static func raiseToHard() -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
    let wanted = min(limit.rlim_max, 65_536)
    if limit.rlim_cur < wanted {
      var raised = limit
      raised.rlim_cur = wanted
      if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
    }
    return Int(min(limit.rlim_cur, 65_536))
  }
}
