//! Who may do what: the one table of role permissions, and location scope.
use std::str::FromStr;

use poem_openapi::Enum;
use sea_orm::sea_query::{Condition, IntoColumnRef, SimpleExpr};
use sea_orm::sea_query::{Expr, ExprTrait};

use crate::http::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, serde::Serialize)]
#[oai(rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Coordinator,
    Coach,
    Driver,
    Finance,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Coordinator,
        Role::Coach,
        Role::Driver,
        Role::Finance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Coach => "coach",
            Role::Driver => "driver",
            Role::Finance => "finance",
        }
    }

    /// Admin and finance work across the whole organisation; everyone else sees their own locations.
    pub fn is_organisation_wide(self) -> bool {
        matches!(self, Role::Admin | Role::Finance)
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role '{s}'"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    OrganisationRead,
    OrganisationWrite,
    LocationsRead,
    LocationsWrite,
    ContractsRead,
    ContractsWrite,
    ClientsRead,
    ClientsWrite,
    /// The citizen service number: sensitive, finance and admin only.
    BsnRead,
    AllocationsRead,
    AllocationsWrite,
    SchedulesRead,
    SchedulesWrite,
    VehiclesRead,
    VehiclesWrite,
    UsersRead,
    UsersWrite,
    /// Open a dagstaat document and record attendance in it (coaches on their phones).
    AttendanceRecord,
    /// Read the recorded attendance.
    AttendanceRead,
    /// Preview billing and read declarations.
    BillingRead,
    /// Close a month into a declaration and record the municipality's answer.
    BillingWrite,
    /// Occupancy, no-show rates and allocation usage (the coordinator dashboard).
    OccupancyRead,
    /// Receive web push notifications on one's own browsers.
    PushSubscribe,
    /// Plan transport routes, edit and publish them; transport settings.
    TransportPlan,
    /// Open one's own route runs and record stops (drivers on their phones).
    RouteDrive,
}

/// The permission table. Every endpoint asks this function, nothing else decides.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        OrganisationRead | LocationsRead | PushSubscribe => true,
        OrganisationWrite | LocationsWrite | ContractsWrite | UsersRead | UsersWrite => {
            role == Admin
        }
        ContractsRead | AllocationsRead => matches!(role, Admin | Coordinator | Finance),
        ClientsRead | SchedulesRead => matches!(role, Admin | Coordinator | Coach | Finance),
        ClientsWrite | AllocationsWrite | SchedulesWrite | VehiclesWrite => {
            matches!(role, Admin | Coordinator)
        }
        BsnRead => matches!(role, Admin | Finance),
        VehiclesRead => matches!(role, Admin | Coordinator | Driver),
        AttendanceRecord => matches!(role, Admin | Coordinator | Coach),
        AttendanceRead => matches!(role, Admin | Coordinator | Coach | Finance),
        BillingRead => matches!(role, Admin | Finance),
        BillingWrite => role == Finance,
        OccupancyRead => matches!(role, Admin | Coordinator),
        TransportPlan => matches!(role, Admin | Coordinator),
        RouteDrive => role == Driver,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocationScope {
    All,
    Only(Vec<i32>),
}

/// The authenticated user of one request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub scope: LocationScope,
}

impl Principal {
    pub fn may(&self, permission: Permission) -> bool {
        allows(self.role, permission)
    }

    pub fn require(&self, permission: Permission) -> Result<&Principal, ApiError> {
        if self.may(permission) {
            Ok(self)
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn sees_location(&self, location_id: i32) -> bool {
        match &self.scope {
            LocationScope::All => true,
            LocationScope::Only(ids) => ids.contains(&location_id),
        }
    }

    /// For writes and explicit filters: acting on a location outside the scope is forbidden.
    pub fn require_location(&self, location_id: i32) -> Result<(), ApiError> {
        if self.sees_location(location_id) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// For reads by id: something outside the scope does not exist for this user.
    pub fn visible<T>(&self, location_id: i32, item: T, what: &'static str) -> Result<T, ApiError> {
        if self.sees_location(location_id) {
            Ok(item)
        } else {
            Err(ApiError::NotFound(what))
        }
    }

    /// A query condition restricting `column` (a location id) to this user's scope.
    pub fn scope_condition(&self, column: impl IntoColumnRef) -> Condition {
        match &self.scope {
            LocationScope::All => Condition::all(),
            LocationScope::Only(ids) => {
                let expr: SimpleExpr = Expr::col(column).is_in(ids.iter().copied());
                Condition::all().add(expr)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_finance_and_admin_see_bsn() {
        let allowed: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| allows(*r, Permission::BsnRead))
            .collect();
        assert_eq!(allowed, vec![Role::Admin, Role::Finance]);
    }

    #[test]
    fn drivers_see_no_client_records() {
        assert!(!allows(Role::Driver, Permission::ClientsRead));
        assert!(!allows(Role::Driver, Permission::AllocationsRead));
        assert!(allows(Role::Driver, Permission::VehiclesRead));
    }

    #[test]
    fn scope_limits_locations() {
        let coach = Principal {
            user_id: 1,
            email: "c@x".into(),
            display_name: "C".into(),
            role: Role::Coach,
            scope: LocationScope::Only(vec![2]),
        };
        assert!(coach.sees_location(2));
        assert!(!coach.sees_location(3));
        assert!(matches!(
            coach.require_location(3),
            Err(ApiError::Forbidden)
        ));
        assert!(matches!(
            coach.visible(3, (), "client"),
            Err(ApiError::NotFound(_))
        ));
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
