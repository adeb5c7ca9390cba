import ArgumentParser

/// Where the agents run: `inprocess` simulates all K in this process over threads; `mpi`
/// splits them over the ranks of `mpirun` (one rank when started without it). Results are
/// bit-identical either way, so the engine is a flag, not part of the experiment's config.
enum EngineKind: String, CaseIterable, ExpressibleByArgument {
  case inprocess
  case mpi
}
