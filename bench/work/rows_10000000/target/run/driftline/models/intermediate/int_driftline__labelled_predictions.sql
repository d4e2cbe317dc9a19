
  
  create view "warehouse"."main_driftline"."int_driftline__labelled_predictions__dbt_tmp" as (
    with

predictions as (
    select * from "warehouse"."main_driftline"."stg_driftline__predictions"
    where window_start is not null
),

labels as (
    select * from "warehouse"."main_driftline"."int_driftline__latest_labels"
),

final as (
    select
        predictions.monitor_name,
        predictions.prediction_id,
        predictions.event_at,
        predictions.window_start,
        predictions.model_version,
        predictions.segment_name,
        predictions.segment_value,
        predictions.predicted_label,
        predictions.predicted_value,
        predictions.score,
        labels.label,
        labels.label_value,
        labels.labelled_at,
        labels.first_labelled_at,
        labels.n_deliveries
    from predictions
    left join labels
        on labels.monitor_name = predictions.monitor_name
        and labels.prediction_id = predictions.prediction_id
)

select * from final
  );
