import FlatlandCore

/// Array conveniences over the pointer-based passes, for callers that hold `[T]`.
extension Network {
  public func evaluate<T: FlatScalar>(_ w: [T], features: [T], labels: [Int32], workspace: Workspace<T>) -> LossStats {
    w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { fp in
        labels.withUnsafeBufferPointer { lp in evaluate(wp, features: fp, labels: lp, workspace: workspace) }
      }
    }
  }

  public func lossAndGradient<T: FlatScalar>(
    _ w: [T], features: [T], labels: [Int32], gradient: inout [T], workspace: Workspace<T>
  ) -> LossStats {
    w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { fp in
        labels.withUnsafeBufferPointer { lp in
          gradient.withUnsafeMutableBufferPointer { gp in
            lossAndGradient(wp, features: fp, labels: lp, gradient: gp, workspace: workspace)
          }
        }
      }
    }
  }

  public func hessianVectorProduct<T: FlatScalar>(
    _ w: [T], direction v: [T], features: [T], labels: [Int32], result: inout [T], workspace: Workspace<T>
  ) -> LossStats {
    w.withUnsafeBufferPointer { wp in
      v.withUnsafeBufferPointer { vp in
        features.withUnsafeBufferPointer { fp in
          labels.withUnsafeBufferPointer { lp in
            result.withUnsafeMutableBufferPointer { rp in
              hessianVectorProduct(wp, direction: vp, features: fp, labels: lp, result: rp, workspace: workspace)
            }
          }
        }
      }
    }
  }

  public func prepareCurvature<T: FlatScalar>(_ w: [T], features: [T], labels: [Int32], workspace: Workspace<T>)
    -> LossStats
  {
    w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { fp in
        labels.withUnsafeBufferPointer { lp in prepareCurvature(wp, features: fp, labels: lp, workspace: workspace) }
      }
    }
  }

  public func preparedHessianVectorProduct<T: FlatScalar>(
    _ w: [T], direction v: [T], features: [T], result: inout [T], workspace: Workspace<T>
  ) {
    w.withUnsafeBufferPointer { wp in
      v.withUnsafeBufferPointer { vp in
        features.withUnsafeBufferPointer { fp in
          result.withUnsafeMutableBufferPointer { rp in
            preparedHessianVectorProduct(wp, direction: vp, features: fp, result: rp, workspace: workspace)
          }
        }
      }
    }
  }

  public func predict<T: FlatScalar>(_ w: [T], features: [T], workspace: Workspace<T>) -> [Int32] {
    w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { fp in predict(wp, features: fp, workspace: workspace) }
    }
  }
}
