"""Example 2 with software-defined assets: the I/O stays in the bodies, the order is declared."""
from dagster import AssetSpec, Definitions, asset

from .mylib import create_db_connection, pickle_to_s3, read_sql, train_recommender_model

raw_users = AssetSpec("raw_users")


@asset(deps=["raw_users"])
def users():
    raw_users_df = read_sql("select * from raw_users", con=create_db_connection())
    users_df = raw_users_df.dropna()
    users_df.to_sql(name="users", con=create_db_connection())


@asset(deps=[users])
def user_recommender_model():
    users_df = read_sql("select * from users", con=create_db_connection())
    users_recommender_model = train_recommender_model(users_df)
    pickle_to_s3(users_recommender_model, key="users_recommender_model")


defs = Definitions(
    assets=[raw_users, users, user_recommender_model],
)
