
import json, sys, time
started = time.perf_counter()
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset
imported = time.perf_counter()
reference_path, current_path, output, numeric, categorical = sys.argv[1:6]
numeric, categorical = numeric.split(","), categorical.split(",")
reference = pd.read_parquet(reference_path)
current = pd.read_parquet(current_path)
for column in categorical:
    reference[column] = reference[column].astype("string").astype(object)
    current[column] = current[column].astype("string").astype(object)
definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
reference_ds = Dataset.from_pandas(reference, data_definition=definition)
current_ds = Dataset.from_pandas(current, data_definition=definition)
loaded = time.perf_counter()
snapshot = Report([DataDriftPreset()]).run(current_ds, reference_ds)
result = snapshot.dict()
ran = time.perf_counter()
metrics = result.get("metrics", [])
json.dump({
    "rows_reference": len(reference), "rows_current": len(current),
    "import_s": imported - started, "load_s": loaded - imported, "report_s": ran - loaded,
    "metrics": metrics,
}, open(output, "w"), default=str)
