"""Example 1 with software-defined assets: Dagster now knows both tables and their lineage."""
from dagster import AssetSpec, Definitions, asset

from .mylib import DataFrame, s3_io_manager, snowflake_io_manager, train_recommender_model

raw_users = AssetSpec("raw_users").with_io_manager_key("warehouse")


@asset(io_manager_key="warehouse")
def users(raw_users: DataFrame) -> DataFrame:
    users_df = raw_users.dropna()
    return users_df


@asset(io_manager_key="object_store")
def user_recommender_model(users: DataFrame):
    user_recommender_model = train_recommender_model(users)
    return user_recommender_model


defs = Definitions(
    assets=[raw_users, users, user_recommender_model],
    resources={"warehouse": snowflake_io_manager, "object_store": s3_io_manager},
)
