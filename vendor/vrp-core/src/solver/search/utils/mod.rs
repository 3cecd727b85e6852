mod removal;
pub(crate) use self::removal::*;

mod selection;
pub(crate) use self::selection::*;

mod tabu_list;
pub(crate) use self::tabu_list::TabuList;

mod termination;
pub(crate) use self::termination::*;
