{#-
  The dbt half of the configuration contract. It walks the spec that
  `driftline_contract()` returns (generated from python/driftline/contract.py) with
  the same rules and the same wording as `driftline.config` in Python; the test
  suite feeds both the same bad declarations and compares the messages.
-#}

{% macro _got(value) %}{{ return("(got '" ~ value ~ "')") }}{% endmacro %}

{% macro _join(path, key) %}{{ return(path ~ '.' ~ key if path else key) }}{% endmacro %}

{% macro _is_list(value) %}
  {{ return(value is sequence and value is not string and value is not mapping) }}
{% endmacro %}

{% macro validate_value(value, spec, path, errors, contract) %}
  {%- set kind = spec['type'] -%}
  {%- if kind == 'object' -%}
    {%- if value is not mapping -%}
      {%- do errors.append(path ~ ': must be a mapping ' ~ driftline._got(value)) -%}
      {{ return({}) }}
    {%- endif -%}
    {%- set keys = spec['keys'] -%}
    {%- for key in value if key not in keys -%}
      {%- do errors.append(driftline._join(path, key) ~ ': unknown key; expected one of: ' ~ keys | join(', ')) -%}
    {%- endfor -%}
    {%- set out = {} -%}
    {%- for key, sub in keys.items() -%}
      {%- if value.get(key) is not none -%}
        {%- do out.update({key: driftline.validate_value(value[key], sub, driftline._join(path, key), errors, contract)}) -%}
      {%- elif sub.get('required') -%}
        {%- do errors.append(driftline._join(path, key) ~ ': required key is missing') -%}
      {%- elif 'default' in sub and sub['type'] == 'object' -%}
        {%- do out.update({key: driftline.validate_value(sub['default'], sub, driftline._join(path, key), errors, contract)}) -%}
      {%- elif 'default' in sub -%}
        {%- do out.update({key: sub['default']}) -%}
      {%- else -%}
        {%- do out.update({key: none}) -%}
      {%- endif -%}
    {%- endfor -%}
    {{ return(out) }}
  {%- elif kind == 'map' -%}
    {%- if value is not mapping -%}
      {%- do errors.append(path ~ ': must be a mapping ' ~ driftline._got(value)) -%}
      {{ return({}) }}
    {%- endif -%}
    {%- set allowed = spec.get('key_values') -%}
    {%- set out = {} -%}
    {%- for key, item in value.items() -%}
      {%- if allowed is not none and key not in allowed -%}
        {%- do errors.append(driftline._join(path, key) ~ ': unknown key; expected one of: ' ~ allowed | join(', ')) -%}
      {%- else -%}
        {%- do out.update({key: driftline.validate_value(item, spec['values'], driftline._join(path, key), errors, contract)}) -%}
      {%- endif -%}
    {%- endfor -%}
    {{ return(out) }}
  {%- elif kind == 'list' -%}
    {%- if not driftline._is_list(value) -%}
      {%- do errors.append(path ~ ': must be a list ' ~ driftline._got(value)) -%}
      {{ return([]) }}
    {%- endif -%}
    {%- if value | length < spec.get('min_items', 0) -%}
      {%- do errors.append(path ~ ': must have at least ' ~ spec['min_items'] ~ ' item(s)') -%}
    {%- endif -%}
    {%- set out = [] -%}
    {%- for item in value -%}
      {%- do out.append(driftline.validate_value(item, spec['items'], path ~ '[' ~ loop.index0 ~ ']', errors, contract)) -%}
    {%- endfor -%}
    {{ return(out) }}
  {%- elif kind == 'enum' -%}
    {%- if value is not string or value not in spec['values'] -%}
      {%- do errors.append(path ~ ': must be one of: ' ~ spec['values'] | join(', ') ~ ' ' ~ driftline._got(value)) -%}
    {%- endif -%}
    {{ return(value) }}
  {%- elif kind == 'boolean' -%}
    {%- if value is not boolean -%}
      {%- do errors.append(path ~ ': must be true or false ' ~ driftline._got(value)) -%}
    {%- endif -%}
    {{ return(value) }}
  {%- elif kind in ('integer', 'number') -%}
    {%- set ok = (value is integer) if kind == 'integer' else (value is number) -%}
    {%- if value is boolean or not ok -%}
      {%- do errors.append(path ~ ': must be ' ~ ('an integer' if kind == 'integer' else 'a number') ~ ' ' ~ driftline._got(value)) -%}
      {{ return(value) }}
    {%- endif -%}
    {%- if 'min' in spec and value < spec['min'] -%}
      {%- do errors.append(path ~ ': must be at least ' ~ spec['min'] ~ ' ' ~ driftline._got(value)) -%}
    {%- endif -%}
    {%- if 'max' in spec and value > spec['max'] -%}
      {%- do errors.append(path ~ ': must be at most ' ~ spec['max'] ~ ' ' ~ driftline._got(value)) -%}
    {%- endif -%}
    {{ return(value) }}
  {%- else -%}
    {#- string-like; YAML may hand dates over as date objects, compare their text -#}
    {%- set text = (value | string) if (kind == 'date' and value is not string and value is not number and value is not boolean) else value -%}
    {%- if text is not string -%}
      {%- do errors.append(path ~ ': must be a string ' ~ driftline._got(value)) -%}
      {{ return(value) }}
    {%- endif -%}
    {%- if kind in contract['patterns'] and not modules.re.match(contract['patterns'][kind], text) -%}
      {%- do errors.append(path ~ ': must be ' ~ contract['hints'][kind] ~ ' ' ~ driftline._got(text)) -%}
    {%- endif -%}
    {{ return(text) }}
  {%- endif -%}
{% endmacro %}


{% macro semantic_errors(decl) %}
  {#- Rules that relate keys to each other (mirrors config._semantic_errors). -#}
  {%- set errors = [] -%}
  {%- set names = [] -%}
  {%- for feature in decl['features'] -%}
    {%- if feature['name'] in names -%}
      {%- do errors.append('features[' ~ loop.index0 ~ "].name: duplicate feature '" ~ feature['name'] ~ "'") -%}
    {%- endif -%}
    {%- do names.append(feature['name']) -%}
  {%- endfor -%}
  {%- for reserved in ['id_column', 'event_time_column'] if decl[reserved] in names -%}
    {%- do errors.append(reserved ~ ": '" ~ decl[reserved] ~ "' is also declared as a feature") -%}
  {%- endfor -%}
  {%- if decl['task'] == 'binary_classification' and decl['score_column'] is none -%}
    {%- do errors.append("score_column: required for task 'binary_classification'") -%}
  {%- endif -%}
  {%- set labels = decl['labels'] -%}
  {%- if labels is not none -%}
    {%- if (labels['model'] is none) == (labels['source'] is none) -%}
      {%- do errors.append("labels: set exactly one of 'model' or 'source'") -%}
    {%- elif labels['source'] is not none and labels['source'].split('.') | length != 2 -%}
      {%- do errors.append("labels.source: must be 'source_name.table_name' " ~ driftline._got(labels['source'])) -%}
    {%- endif -%}
  {%- endif -%}
  {%- set reference = decl['reference'] -%}
  {%- if reference['method'] == 'date_range' -%}
    {%- for key in ['start', 'end'] if reference[key] is none -%}
      {%- do errors.append('reference.' ~ key ~ ": required when method is 'date_range'") -%}
    {%- endfor -%}
    {%- if reference['start'] is not none and reference['end'] is not none and reference['end'] <= reference['start'] -%}
      {%- do errors.append('reference.end: must be after reference.start') -%}
    {%- endif -%}
  {%- endif -%}
  {%- for feature in (decl['thresholds']['features'] or {}) if feature not in names -%}
    {%- do errors.append('thresholds.features.' ~ feature ~ ': not a declared feature') -%}
  {%- endfor -%}
  {%- set retraining = decl['retraining'] -%}
  {%- if retraining is not none -%}
    {%- if retraining['window_strategy'] == 'dynamic' and not retraining['candidate_window_days'] -%}
      {%- do errors.append("retraining.candidate_window_days: required when window_strategy is 'dynamic'") -%}
    {%- endif -%}
    {%- if retraining['window_strategy'] == 'decay' and retraining['half_life_days'] is none -%}
      {%- do errors.append("retraining.half_life_days: required when window_strategy is 'decay'") -%}
    {%- endif -%}
  {%- endif -%}
  {{ return(errors) }}
{% endmacro %}


{% macro format_errors(monitor, node_id, errors) %}
  {%- set lines = [] -%}
  {%- for e in errors -%}{%- do lines.append('  - ' ~ e) -%}{%- endfor -%}
  {{ return("driftline: invalid declaration for monitor '" ~ monitor ~ "' (" ~ node_id ~ "):\n" ~ lines | join('\n')) }}
{% endmacro %}


{% macro declaration_errors(declaration) %}
  {#- (declaration with defaults filled in, list of errors): the non-raising core of validate_declaration. -#}
  {%- set contract = driftline.driftline_contract() -%}
  {%- set errors = [] -%}
  {%- set normalized = driftline.validate_value(declaration, contract['spec'], '', errors, contract) -%}
  {%- if not errors -%}
    {%- set errors = driftline.semantic_errors(normalized) -%}
  {%- endif -%}
  {{ return((normalized, errors)) }}
{% endmacro %}


{% macro validate_declaration(declaration, node_id) %}
  {#- Returns the declaration with defaults filled in; raises a compiler error naming monitor, key and problem. -#}
  {%- set normalized, errors = driftline.declaration_errors(declaration) -%}
  {%- if errors -%}
    {%- set label = declaration['monitor'] if declaration is mapping and declaration.get('monitor') is string else '?' -%}
    {%- do exceptions.raise_compiler_error(driftline.format_errors(label, node_id, errors)) -%}
  {%- endif -%}
  {{ return(normalized) }}
{% endmacro %}
