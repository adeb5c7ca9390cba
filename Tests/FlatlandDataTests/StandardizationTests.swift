import FlatlandCore
import Testing

@testable import FlatlandData

@Suite struct StandardizationTests {
  @Test func perChannelStatisticsComeFromTrainOnly() throws {
    // Two samples of 2 channels × 2 pixels; channel 1 is constant.
    let train = try Dataset(
      name: "t", shape: SampleShape(channels: 2, height: 1, width: 2), classes: 2, features: [1, 3, 5, 5, 5, 7, 5, 5],
      labels: [0, 1])
    let test = try Dataset(name: "s", shape: train.shape, classes: 2, features: [4, 4, 6, 6], labels: [1])
    let s = try Standardization(fittingTo: train)
    // Channel 0 values 1, 3, 5, 7: mean 4, population sd √5. Channel 1 constant: σ kept at 1.
    #expect(s.mean == [4, 5])
    #expect(abs(s.std[0] - Float(5).squareRoot()) < 1e-6 && s.std[1] == 1)
    var splits = DataSplits(train: train, test: test)
    s.apply(to: &splits)
    let r = Float(5).squareRoot()
    #expect(zip(splits.train.features, [-3 / r, -1 / r, 0, 0, 1 / r, 3 / r, 0, 0]).allSatisfy { abs($0 - $1) < 1e-6 })
    #expect(splits.test.features == [0, 0, 1, 1])
  }

  @Test func standardizedTrainingChannelsHaveZeroMeanUnitVariance() throws {
    var data = try DataSpec(parsing: "synthetic:gaussians:3,5,n=900,sep=4").load(dataDir: nil, seed: 0)
    let s = try Standardization(fittingTo: data.train)
    s.apply(to: &data)
    let again = try Standardization(fittingTo: data.train)
    #expect(again.mean.allSatisfy { abs($0) < 1e-5 } && again.std.allSatisfy { abs($0 - 1) < 1e-4 }, "\(again)")
  }
}
