"""Example 3 with software-defined assets: each table is one asset; the transient step stays a plain function."""
from dagster import Definitions, asset

from .mylib import DataFrame, create_db_connection, fetch_products


def get_categories(products: DataFrame) -> DataFrame:
    return DataFrame({"category": products["category"]})


@asset
def products():
    products_df = fetch_products()
    products_df.to_sql(name="products", con=create_db_connection())


@asset(deps=[products])
def categories():
    categories_df = get_categories(fetch_products())
    categories_df.to_sql(name="categories", con=create_db_connection())


defs = Definitions(
    assets=[products, categories],
)
