
    

    create  table
      "warehouse"."main_driftline"."driftline_monitors__dbt_tmp"
  
    
    as (
      with

declared as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as declared_on,
        cast(null as TEXT) as prediction_log,
        cast(null as TEXT) as label_relation,
        cast(null as TEXT) as task,
        cast(null as TEXT) as window_unit,
        cast(null as TEXT) as reference_method,
        cast(null as integer) as n_features,
        cast(null as integer) as n_segments,
        cast(null as TEXT) as declaration_json
    where 1 = 0
    union all
    select
        'bench',
        'source.driftline_bench.raw.bench_log',
        '"warehouse"."raw"."bench_log"',
        null,
        'binary_classification',
        'day',
        'first_windows',
        20,
        0,
        '{"event_time_column": "event_at", "features": [{"kind": "numeric", "name": "n01"}, {"kind": "numeric", "name": "n02"}, {"kind": "numeric", "name": "n03"}, {"kind": "numeric", "name": "n04"}, {"kind": "numeric", "name": "n05"}, {"kind": "numeric", "name": "n06"}, {"kind": "numeric", "name": "n07"}, {"kind": "numeric", "name": "n08"}, {"kind": "numeric", "name": "n09"}, {"kind": "numeric", "name": "n10"}, {"kind": "numeric", "name": "n11"}, {"kind": "numeric", "name": "n12"}, {"kind": "numeric", "name": "n13"}, {"kind": "numeric", "name": "n14"}, {"kind": "numeric", "name": "n15"}, {"kind": "numeric", "name": "n16"}, {"kind": "categorical", "name": "c01"}, {"kind": "categorical", "name": "c02"}, {"kind": "categorical", "name": "c03"}, {"kind": "categorical", "name": "c04"}], "id_column": "event_id", "labels": null, "model_version_column": null, "monitor": "bench", "positive_label": "1", "prediction_column": "predicted_label", "reference": {"end": null, "method": "first_windows", "start": null, "windows": 14}, "retraining": null, "score_column": "score", "segments": [], "task": "binary_classification", "thresholds": {"data_driven_k": null, "features": null, "min_window_rows": 100, "performance_floor": null, "statistics": null, "sustained_windows": 3}, "window": "day"}'
),

final as (
    select * from declared
)

select * from final
    );
    
  