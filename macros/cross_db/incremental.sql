{#-
  How driftline's incremental models (keyed by monitor_name and window_start) replace the
  windows a run recomputes. The default is dbt's delete+insert on the key. dbt-spark has no
  delete+insert (only append, insert_overwrite, and merge on Delta/Iceberg/Hudi, whose merge
  wants a key unique per row), so on Spark the tables are partitioned by the key and a run
  overwrites exactly the partitions it emits (dynamic partition overwrite, which dbt-spark
  switches on for insert_overwrite with partition_by): the same rows delete+insert leaves.
  Used in the models' config(): `incremental_strategy=driftline.incremental_strategy(),
  partition_by=driftline.incremental_partition_by([...])`.
-#}
{% macro incremental_strategy() %}{{ return(adapter.dispatch('incremental_strategy', 'driftline')()) }}{% endmacro %}
{% macro default__incremental_strategy() %}{{ return('delete+insert') }}{% endmacro %}
{% macro spark__incremental_strategy() %}{{ return('insert_overwrite') }}{% endmacro %}

{% macro incremental_partition_by(keys) %}{{ return(adapter.dispatch('incremental_partition_by', 'driftline')(keys)) }}{% endmacro %}
{% macro default__incremental_partition_by(keys) %}{{ return(none) }}{% endmacro %}
{% macro spark__incremental_partition_by(keys) %}{{ return(keys) }}{% endmacro %}
