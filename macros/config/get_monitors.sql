{#-
  Monitors are declared under `config.meta.driftline` of the model or source holding
  the prediction log. dbt fills `graph` only at execution, so these macros return
  nothing while parsing; models guard on `execute`.
-#}

{% macro declaration_of(node) %}
  {%- set meta = node.get('config', {}).get('meta') or {} -%}
  {%- if 'driftline' in meta -%}{{ return(meta['driftline']) }}{%- endif -%}
  {{ return((node.get('meta') or {}).get('driftline')) }}
{% endmacro %}


{% macro relation_of(node) %}
  {%- set identifier = node.get('identifier') if node.resource_type == 'source' else node.get('alias') -%}
  {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=identifier or node.name)) }}
{% endmacro %}


{% macro find_label_relation(labels, monitor, node_id) %}
  {%- if labels['model'] is not none -%}
    {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed', 'snapshot') and node.name == labels['model'] -%}
      {{ return(driftline.relation_of(node)) }}
    {%- endfor -%}
    {%- do exceptions.raise_compiler_error(driftline.format_errors(monitor, node_id, ["labels.model: no model or seed named '" ~ labels['model'] ~ "' in the project"])) -%}
  {%- endif -%}
  {%- set source_name, table_name = labels['source'].split('.') -%}
  {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
    {{ return(driftline.relation_of(node)) }}
  {%- endfor -%}
  {%- do exceptions.raise_compiler_error(driftline.format_errors(monitor, node_id, ["labels.source: no source table '" ~ labels['source'] ~ "' in the project"])) -%}
{% endmacro %}


{% macro get_monitors() %}
  {#- Every declared monitor, validated, ordered by name: dicts with name, node_id, relation, label_relation, decl. -#}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set candidates = (graph.nodes.values() | list) + (graph.sources.values() | list) -%}
  {%- set found = {} -%}
  {%- for node in candidates | sort(attribute='unique_id') -%}
    {%- set declaration = driftline.declaration_of(node) -%}
    {%- if declaration is not none -%}
      {%- set decl = driftline.validate_declaration(declaration, node.unique_id) -%}
      {%- set name = decl['monitor'] -%}
      {%- if name in found -%}
        {%- do exceptions.raise_compiler_error("driftline: monitor '" ~ name ~ "' is declared twice: " ~ found[name]['node_id'] ~ " and " ~ node.unique_id) -%}
      {%- endif -%}
      {%- set label_relation = driftline.find_label_relation(decl['labels'], name, node.unique_id) if decl['labels'] is not none else none -%}
      {%- do found.update({name: {
          'name': name,
          'node_id': node.unique_id,
          'relation': driftline.relation_of(node),
          'label_relation': label_relation,
          'decl': decl,
      }}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set monitors = [] -%}
  {%- for name in found | sort -%}{%- do monitors.append(found[name]) -%}{%- endfor -%}
  {{ return(monitors) }}
{% endmacro %}


{% macro declared_columns(decl) %}
  {#- (key path, column) pairs of the prediction log, in the order config.Monitor.declared_columns uses. -#}
  {%- set cols = [('id_column', decl['id_column']), ('event_time_column', decl['event_time_column'])] -%}
  {%- for key in ['model_version_column', 'prediction_column', 'score_column'] if decl[key] is not none -%}
    {%- do cols.append((key, decl[key])) -%}
  {%- endfor -%}
  {%- for f in decl['features'] -%}{%- do cols.append(('features[' ~ loop.index0 ~ '].name', f['name'])) -%}{%- endfor -%}
  {%- for s in decl['segments'] -%}{%- do cols.append(('segments[' ~ loop.index0 ~ ']', s)) -%}{%- endfor -%}
  {{ return(cols) }}
{% endmacro %}


{% macro column_errors(declared, actual, relation_name) %}
  {%- set lower = actual | map('lower') | list -%}
  {%- set errors = [] -%}
  {%- for path, col in declared if col | lower not in lower -%}
    {%- do errors.append(path ~ ": column '" ~ col ~ "' not found in " ~ relation_name ~ ' (columns: ' ~ actual | join(', ') ~ ')') -%}
  {%- endfor -%}
  {{ return(errors) }}
{% endmacro %}


{% macro columns_of(relation) %}
  {#- Column name -> actual column (case as the warehouse stores it), or none when the relation is missing. -#}
  {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
  {%- if existing is none -%}{{ return(none) }}{%- endif -%}
  {%- set columns = {} -%}
  {%- for column in adapter.get_columns_in_relation(existing) -%}
    {%- do columns.update({column.name | lower: column}) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}


{% macro kind_errors(features, columns) %}
  {%- set numeric_types = driftline.driftline_contract()['numeric_types'] -%}
  {%- set errors = [] -%}
  {%- for f in features -%}
    {%- set dtype = columns[f['name'] | lower].dtype if f['name'] | lower in columns else none -%}
    {%- if f['kind'] == 'numeric' and dtype is not none and dtype.lower().split('(')[0].strip() not in numeric_types -%}
      {%- do errors.append('features[' ~ loop.index0 ~ "].kind: 'numeric' but column '" ~ f['name'] ~ "' has type " ~ dtype) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(errors) }}
{% endmacro %}


{% macro _relation_name(relation) %}
  {{ return([relation.database, relation.schema, relation.identifier] | select | join('.')) }}
{% endmacro %}


{% macro profiled_history(monitor_name) %}
  {#- Columns driftline has profiled for this monitor before (empty before the first build). -#}
  {%- set node = graph.nodes.get('model.driftline.driftline_window_profiles') -%}
  {%- if node is none -%}{{ return([]) }}{%- endif -%}
  {%- set profiles = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
  {%- if profiles is none -%}{{ return([]) }}{%- endif -%}
  {%- set rows = run_query('select distinct feature_name from ' ~ profiles ~ ' where monitor_name = ' ~ driftline.literal(monitor_name)) -%}
  {{ return(rows.columns[0].values() | list) }}
{% endmacro %}


{% macro resolve_columns(monitor) %}
  {#-
    Check every declared column against the warehouse and return
    {'log': {lower name: Column}, 'labels': {...}, 'schema_problems': [...]}.
    A missing column, or a numeric feature on a non-numeric column, stops the build with
    a message naming each one, unless driftline has profiled that feature before: then
    the feature disappeared or changed type in the data, which is reported as a
    data-quality problem (its values read as NULL) rather than a crash.
  -#}
  {%- set errors = [] -%}
  {%- set problems = [] -%}
  {%- set resolved = {'schema_problems': problems} -%}
  {%- set sides = [('log', monitor.relation, driftline.declared_columns(monitor.decl))] -%}
  {%- if monitor.label_relation is not none -%}
    {%- set labels = monitor.decl['labels'] -%}
    {%- do sides.append(('labels', monitor.label_relation, [
        ('labels.id_column', labels['id_column']),
        ('labels.label_column', labels['label_column']),
        ('labels.labelled_at_column', labels['labelled_at_column'])])) -%}
  {%- endif -%}
  {%- set features = {} -%}
  {%- for f in monitor.decl['features'] -%}{%- do features.update({'features[' ~ loop.index0 ~ '].name': f['name']}) -%}{%- endfor -%}
  {%- set history = driftline.profiled_history(monitor.name) if execute else [] -%}
  {%- for side, relation, declared in sides -%}
    {%- set columns = driftline.columns_of(relation) -%}
    {%- if columns is none -%}
      {%- do errors.append(('relation' if side == 'log' else 'labels') ~ ': ' ~ driftline._relation_name(relation) ~ ' does not exist in the warehouse') -%}
    {%- else -%}
      {%- set actual = [] -%}
      {%- for c in columns.values() -%}{%- do actual.append(c.name) -%}{%- endfor -%}
      {%- for error in driftline.column_errors(declared, actual, driftline._relation_name(relation)) -%}
        {%- set path = error.split(':')[0] -%}
        {%- if side == 'log' and path in features and features[path] in history -%}
          {%- do problems.append({'feature': features[path], 'problem': 'column_missing', 'detail': "column '" ~ features[path] ~ "' is no longer in " ~ driftline._relation_name(relation)}) -%}
        {%- else -%}
          {%- do errors.append(error) -%}
        {%- endif -%}
      {%- endfor -%}
      {%- if side == 'log' -%}
        {%- for error in driftline.kind_errors(monitor.decl['features'], columns) -%}
          {%- set name = error.split("column '")[1].split("'")[0] -%}
          {%- if name in history -%}
            {%- do problems.append({'feature': name, 'problem': 'type_changed', 'detail': error.split(': ', 1)[1]}) -%}
          {%- else -%}
            {%- do errors.append(error) -%}
          {%- endif -%}
        {%- endfor -%}
      {%- endif -%}
      {%- do resolved.update({side: columns}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if errors -%}
    {%- do exceptions.raise_compiler_error(driftline.format_errors(monitor.name, monitor.node_id, errors)) -%}
  {%- endif -%}
  {{ return(resolved) }}
{% endmacro %}


{% macro feature_value(resolved, column, kind, log_alias='log') %}
  {#- A profiled column read from the log as double or text; NULL when it disappeared, NULL where it no longer casts. -#}
  {%- set problem = resolved['schema_problems'] | selectattr('feature', 'equalto', column) | first -%}
  {%- set target = driftline.type_double() if kind == 'numeric' else dbt.type_string() -%}
  {%- if problem is defined and problem['problem'] == 'column_missing' -%}
    {{ return('cast(null as ' ~ target ~ ')') }}
  {%- elif problem is defined and problem['problem'] == 'type_changed' -%}
    {{ return(driftline.safe_cast(log_alias ~ '.' ~ driftline.col(resolved, 'log', column), target)) }}
  {%- endif -%}
  {{ return('cast(' ~ log_alias ~ '.' ~ driftline.col(resolved, 'log', column) ~ ' as ' ~ target ~ ')') }}
{% endmacro %}


{% macro event_time(resolved, decl, log_alias='log') -%}
  {#- The log's event time as a timestamp: what windows, rescans and reference bounds are computed on. -#}
  cast({{ log_alias }}.{{ driftline.col(resolved, 'log', decl['event_time_column']) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}


{% macro col(resolved, side, name) %}
  {#- A configured column, quoted through the adapter under the name the warehouse uses. -#}
  {{ return(adapter.quote(resolved[side][name | lower].name)) }}
{% endmacro %}
