/// A whole report: what `html()` turns into one self-contained page.
///
/// The document holds values only; it reads no clock, file or environment, so the same
/// document always renders to the same bytes. The caller supplies `generatedAt` (a timestamp,
/// or a run id) as text.
public struct ReportDocument: Sendable, Equatable {
  public var title: String
  /// The opening paragraph under the title; may be empty.
  public var lead: String
  /// When or from what the report was made, shown under the lead as given; may be empty.
  public var generatedAt: String
  public var sections: [ReportSection]

  public init(title: String, lead: String = "", generatedAt: String = "", sections: [ReportSection]) {
    self.title = title
    self.lead = lead
    self.generatedAt = generatedAt
    self.sections = sections
  }
}
