/// A titled part of a report, listed in its table of contents.
public struct ReportSection: Sendable, Equatable {
  /// The section's anchor in the page (`#id`): a letter, then letters, digits, `-` or `_`.
  public var id: String
  public var title: String
  /// Text before the blocks, as `ReportBlock.text`; may be empty.
  public var intro: String
  public var blocks: [ReportBlock]

  public init(id: String, title: String, intro: String = "", blocks: [ReportBlock]) {
    self.id = id
    self.title = title
    self.intro = intro
    self.blocks = blocks
  }
}
