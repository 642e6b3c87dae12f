"""Example 3 with software-defined assets: each table is one asset; the transient step stays a plain function.

Only the two tables become assets. `get_categories` produced transient data, so it is an ordinary
helper now, and `categories` reads the `products` table after it (`deps=[products]` declares that
order, so the read is not an undeclared dependency). The guide's slip is fixed: the products table
is written as "products", the categories table as "categories", one writer each.
"""
from dagster import Definitions, asset

from .mylib import DataFrame, create_db_connection, fetch_products, read_sql


def get_categories(products: DataFrame) -> DataFrame:
    return DataFrame({"category": products["category"].unique()})


@asset
def products():
    products_df = fetch_products()
    products_df.to_sql(name="products", con=create_db_connection())


@asset(deps=[products])
def categories():
    products_df = read_sql("select * from products", con=create_db_connection())
    categories_df = get_categories(products_df)
    categories_df.to_sql(name="categories", con=create_db_connection())


defs = Definitions(
    assets=[products, categories],
)
