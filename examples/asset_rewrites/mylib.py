"""The same stand-ins the op jobs use: the rewrite changes the Dagster code, not the helpers."""
from op_jobs.mylib import (  # noqa: F401
    DataFrame,
    create_db_connection,
    fetch_products,
    pickle_to_s3,
    read_sql,
    s3_io_manager,
    snowflake_io_manager,
    train_recommender_model,
)
