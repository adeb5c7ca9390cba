/// The stroke of a line-chart series or a reference line.
public enum LineStyle: String, Sendable, Equatable {
  case solid
  /// Long dashes: theory overlays and predictions beside measured curves.
  case dashed
  /// Dots: a third kind of curve, or a secondary quantity.
  case dotted
}
