use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_municipalities_contracts::Municipalities;
use crate::m20261123_000003_clients_allocations_schedules::Allocations;
use crate::m20261123_000005_users_sessions::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One WMO323 declaration: one municipality, one calendar month.
#[derive(DeriveIden)]
pub enum Declarations {
    Table,
    Id,
    /// DeclaratieNummer, unique per provider.
    Number,
    MunicipalityId,
    /// First day of the declared month.
    Month,
    DeclarationDate,
    TotalCents,
    Xml,
    Csv,
    CreatedBy,
    CreatedAt,
}

/// One Prestatie: an allocation x product x month, debit or credit.
#[derive(DeriveIden)]
pub enum DeclarationLines {
    Table,
    Id,
    DeclarationId,
    /// ReferentieNummer, unique per provider.
    Reference,
    AllocationId,
    ClientId,
    /// The line a credit takes back.
    CorrectsLineId,
    Debit,
    ProductCategory,
    ProductCode,
    UnitCode,
    PeriodStart,
    PeriodEnd,
    Volume,
    TariffCents,
    AmountCents,
    /// pending, accepted or rejected (from the WMO325 answer).
    Status,
    RejectionCode,
    /// The engine's explanation (days, rules, held-back units) as JSON.
    Explanation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Declarations::Table)
                    .col(big_pk_auto(Declarations::Id))
                    .col(string_len(Declarations::Number, 12).unique_key())
                    .col(integer(Declarations::MunicipalityId))
                    .col(date(Declarations::Month))
                    .col(date(Declarations::DeclarationDate))
                    .col(big_integer(Declarations::TotalCents))
                    .col(text(Declarations::Xml))
                    .col(text(Declarations::Csv))
                    .col(integer(Declarations::CreatedBy))
                    .col(timestamp_with_time_zone(Declarations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Declarations::Table, Declarations::MunicipalityId)
                            .to(Municipalities::Table, Municipalities::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Declarations::Table, Declarations::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_declarations_municipality_month")
                    .table(Declarations::Table)
                    .col(Declarations::MunicipalityId)
                    .col(Declarations::Month)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeclarationLines::Table)
                    .col(big_pk_auto(DeclarationLines::Id))
                    .col(big_integer(DeclarationLines::DeclarationId))
                    .col(string_len(DeclarationLines::Reference, 20).unique_key())
                    .col(integer(DeclarationLines::AllocationId))
                    .col(integer(DeclarationLines::ClientId))
                    .col(big_integer_null(DeclarationLines::CorrectsLineId))
                    .col(boolean(DeclarationLines::Debit))
                    .col(string_len(DeclarationLines::ProductCategory, 2))
                    .col(string_len(DeclarationLines::ProductCode, 5))
                    .col(string_len(DeclarationLines::UnitCode, 2))
                    .col(date(DeclarationLines::PeriodStart))
                    .col(date(DeclarationLines::PeriodEnd))
                    .col(big_integer(DeclarationLines::Volume))
                    .col(big_integer_null(DeclarationLines::TariffCents))
                    .col(big_integer(DeclarationLines::AmountCents))
                    .col(string_len(DeclarationLines::Status, 10))
                    .col(string_len_null(DeclarationLines::RejectionCode, 10))
                    .col(text(DeclarationLines::Explanation))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DeclarationLines::Table, DeclarationLines::DeclarationId)
                            .to(Declarations::Table, Declarations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DeclarationLines::Table, DeclarationLines::AllocationId)
                            .to(Allocations::Table, Allocations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_declaration_lines_allocation")
                    .table(DeclarationLines::Table)
                    .col(DeclarationLines::AllocationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_declaration_lines_declaration")
                    .table(DeclarationLines::Table)
                    .col(DeclarationLines::DeclarationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DeclarationLines::Table.into_iden(),
            Declarations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
