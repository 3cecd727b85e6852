//! This module reimports a commonly used types.

pub use crate::HeuristicContext;
pub use crate::HeuristicResult;
pub use crate::HeuristicSolution;
pub use crate::HeuristicSpeed;
pub use crate::HeuristicStatistics;
pub use crate::Stateful;

pub use crate::evolution::objectives::HeuristicObjective;
pub use crate::evolution::strategies::EvolutionStrategy;
pub use crate::evolution::EvolutionConfig;
pub use crate::evolution::EvolutionConfigBuilder;
pub use crate::evolution::HeuristicContextProcessing;
pub use crate::evolution::HeuristicSolutionProcessing;
pub use crate::evolution::InitialOperators;
pub use crate::evolution::TelemetryMode;

pub use crate::population::HeuristicPopulation;
pub use crate::population::RosomaxaConfig;
pub use crate::population::SelectionPhase;

pub use crate::hyper::HeuristicSearchOperator;
pub use crate::hyper::HyperHeuristic;

pub use crate::termination::Termination;

pub use crate::utils::short_type_name;
pub use crate::utils::DefaultRandom;
pub use crate::utils::Environment;
pub use crate::utils::Float;
pub use crate::utils::InfoLogger;
pub use crate::utils::Noise;
pub use crate::utils::Quota;
pub use crate::utils::UnwrapValue;
pub use crate::utils::{GenericError, GenericResult};
pub use crate::utils::{Random, RandomGen};
