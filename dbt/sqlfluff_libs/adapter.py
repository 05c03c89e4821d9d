"""dbt's `adapter` as sqlfluff's Jinja templater sees it (.sqlfluff: library_path).

sqlfluff lints the models without a database, so it has no dbt adapter: a dispatched macro
(macros/cross_database.sql) renders here as a call of a function of the same name, which
is valid SQL in the place the real expression takes on each target."""


def dispatch(macro_name, macro_namespace=None):
    def render(*arguments):
        return f"{macro_name}({', '.join(str(argument) for argument in arguments)})"

    return render


def quote(identifier):
    return f'"{identifier}"'
