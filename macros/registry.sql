{#-
  The runner keeps its registry in the warehouse, next to driftline's models (or in
  var('driftline_registry_schema')). dbt only reads it; before a first retrain the
  tables do not exist and every monitor falls back to its configured reference.
-#}
{% macro registry_relation(identifier) %}
  {%- if not execute -%}{{ return(none) }}{%- endif -%}
  {%- set schema = var('driftline_registry_schema', this.schema) -%}
  {{ return(adapter.get_relation(database=this.database, schema=schema, identifier=identifier)) }}
{% endmacro %}


{#-
  The current champion of every monitor (the latest 'champion' event in the runner's
  event log) with its registry row; typed and empty before the runner's first retrain.
  `created_at` is when the champion was trained in data time: the runner records the end of
  the latest window it saw (`trained_as_of`), so cooldowns and schedules also hold when
  history is replayed; registries without that column fall back to the wall-clock time.
-#}
{% macro current_champions() -%}
  {%- set registry = driftline.registry_relation('driftline_model_registry') -%}
  {%- set events = driftline.registry_relation('driftline_model_events') -%}
  {%- if registry is not none and events is not none -%}
    {%- set columns = adapter.get_columns_in_relation(registry) | map(attribute='name') | map('lower') | list -%}
    select
        registry.monitor_name,
        registry.model_version,
        {% if 'trained_as_of' in columns -%}
        coalesce(registry.trained_as_of, registry.created_at) as created_at,
        {%- else -%}
        registry.created_at,
        {%- endif %}
        registry.training_start,
        registry.training_end
    from (
        select
            monitor_name,
            model_version,
            row_number() over (partition by monitor_name order by event_at desc) as recency
        from {{ events }}
        where alias = 'champion'
    ) as champion_events
    inner join {{ registry }} as registry
        on registry.monitor_name = champion_events.monitor_name
        and registry.model_version = champion_events.model_version
    where champion_events.recency = 1
  {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as model_version,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as training_start,
        cast(null as {{ dbt.type_timestamp() }}) as training_end
    where 1 = 0
  {%- endif -%}
{%- endmacro %}
