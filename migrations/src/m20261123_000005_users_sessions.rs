use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organisation_locations::Locations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    Role,
    PasswordHash,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum UserLocations {
    Table,
    UserId,
    LocationId,
}

#[derive(DeriveIden)]
pub enum Sessions {
    Table,
    Id,
    /// SHA-256 of the token; the token itself is never stored.
    TokenHash,
    UserId,
    Kind,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_len(Users::Email, 200).unique_key())
                    .col(string_len(Users::DisplayName, 200))
                    .col(string_len(Users::Role, 16))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserLocations::Table)
                    .col(integer(UserLocations::UserId))
                    .col(integer(UserLocations::LocationId))
                    .primary_key(
                        Index::create()
                            .col(UserLocations::UserId)
                            .col(UserLocations::LocationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserLocations::Table, UserLocations::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserLocations::Table, UserLocations::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_auto(Sessions::Id))
                    .col(string_len(Sessions::TokenHash, 64).unique_key())
                    .col(integer(Sessions::UserId))
                    .col(string_len(Sessions::Kind, 8))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Sessions::Table.into_iden(),
            UserLocations::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
