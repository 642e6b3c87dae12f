"""Stand-ins for the guide's `mylib`: enough for Dagster to load the jobs, nothing real."""
from dagster import InputContext, IOManager, OutputContext, io_manager


class Series(list):
    """Stands in for pandas.Series: one column."""

    def unique(self) -> "Series":
        return Series(dict.fromkeys(self))


class DataFrame(dict):
    """Stands in for pandas.DataFrame: column name -> values."""

    def __getitem__(self, column: str) -> Series:
        return Series(self.get(column, ()))

    def dropna(self) -> "DataFrame":
        return self

    def to_sql(self, name: str, con=None) -> None:
        return None


class _InMemory(IOManager):
    def __init__(self) -> None:
        self.values: dict = {}

    def handle_output(self, context: OutputContext, obj) -> None:
        self.values[tuple(context.get_identifier())] = obj

    def load_input(self, context: InputContext):
        return DataFrame()


@io_manager
def snowflake_io_manager():
    return _InMemory()


@io_manager
def s3_io_manager():
    return _InMemory()


def create_db_connection():
    return None


def read_sql(query: str, con=None) -> DataFrame:
    return DataFrame()


def train_recommender_model(users):
    return {"model": len(users)}


def pickle_to_s3(obj, key: str) -> None:
    return None


def fetch_products() -> DataFrame:
    return DataFrame(name=["tea", "mug", "cup"], category=["food", "kitchen", "kitchen"])
