use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Municipalities {
    Table,
    Id,
    Name,
    Code,
}

#[derive(DeriveIden)]
pub enum Contracts {
    Table,
    Id,
    MunicipalityId,
    Name,
    ValidFrom,
    ValidTo,
    /// Billing rules as JSON; their shape is owned by the billing capability.
    Rules,
}

#[derive(DeriveIden)]
pub enum ContractTariffs {
    Table,
    Id,
    ContractId,
    ProductCategory,
    ProductCode,
    UnitCode,
    TariffCents,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Municipalities::Table)
                    .col(pk_auto(Municipalities::Id))
                    .col(string_len(Municipalities::Name, 100))
                    .col(string_len(Municipalities::Code, 4).unique_key())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Contracts::Table)
                    .col(pk_auto(Contracts::Id))
                    .col(integer(Contracts::MunicipalityId))
                    .col(string_len(Contracts::Name, 200))
                    .col(date(Contracts::ValidFrom))
                    .col(date_null(Contracts::ValidTo))
                    .col(text(Contracts::Rules))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contracts::Table, Contracts::MunicipalityId)
                            .to(Municipalities::Table, Municipalities::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContractTariffs::Table)
                    .col(pk_auto(ContractTariffs::Id))
                    .col(integer(ContractTariffs::ContractId))
                    .col(string_len(ContractTariffs::ProductCategory, 2))
                    .col(string_len(ContractTariffs::ProductCode, 5))
                    .col(string_len(ContractTariffs::UnitCode, 2))
                    .col(big_integer(ContractTariffs::TariffCents))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContractTariffs::Table, ContractTariffs::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(ContractTariffs::ContractId)
                            .col(ContractTariffs::ProductCode),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContractTariffs::Table.into_iden(),
            Contracts::Table.into_iden(),
            Municipalities::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
