import Foundation

/// What re-running an experiment needs besides its plan: the Flatland version and the
/// machine it ran on (processor, cores, system), recorded beside the results.
public enum RunEnvironment {
  public static let flatlandVersion = "0.7.0"

  public static var versions: [String: String] {
    var v = [
      "flatland": flatlandVersion, "cores": "\(ProcessInfo.processInfo.activeProcessorCount)",
      "system": ProcessInfo.processInfo.operatingSystemVersionString,
    ]
    if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
      let name = line.split(separator: ":", maxSplits: 1).last
    {
      v["cpu"] = name.trimmingCharacters(in: .whitespaces)
    }
    return v
  }
}
