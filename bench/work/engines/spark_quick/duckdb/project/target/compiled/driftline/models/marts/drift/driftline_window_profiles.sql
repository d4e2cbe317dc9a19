-- depends_on: "warehouse"."main_driftline"."int_driftline__references"
-- depends_on: "warehouse"."main_driftline"."int_driftline__reference_edges"

with

log_1 as (
    select * from "warehouse"."raw"."bench_log"
),

slices_1 as (
    select '__all__' as segment_name
),

features_1 as (
    select 1 as feature_index, 'n01' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 2 as feature_index, 'n02' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 3 as feature_index, 'n03' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 4 as feature_index, 'n04' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 5 as feature_index, 'c01' as feature_name,
        'categorical' as feature_kind, 'feature' as feature_role
    union all select 6 as feature_index, 'n05' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 7 as feature_index, 'n06' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 8 as feature_index, 'n07' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 9 as feature_index, 'n08' as feature_name,
        'numeric' as feature_kind, 'feature' as feature_role
    union all select 10 as feature_index, 'c02' as feature_name,
        'categorical' as feature_kind, 'feature' as feature_role
    union all select 11 as feature_index, '__score__' as feature_name,
        'numeric' as feature_kind, 'score' as feature_role
    union all select 12 as feature_index, '__prediction__' as feature_name,
        'categorical' as feature_kind, 'prediction' as feature_role
),values_1 as (
    select
        date_trunc('day', cast(log."event_at" as timestamp)) as window_start,
        slices.segment_name,
        case slices.segment_name
        when '__all__' then '__all__'
    end as segment_value,
        case when isnan(cast(log."n01" as double precision)) then null else cast(log."n01" as double precision) end as n1,
        case when isnan(cast(log."n02" as double precision)) then null else cast(log."n02" as double precision) end as n2,
        case when isnan(cast(log."n03" as double precision)) then null else cast(log."n03" as double precision) end as n3,
        case when isnan(cast(log."n04" as double precision)) then null else cast(log."n04" as double precision) end as n4,
        case when isnan(cast(log."n05" as double precision)) then null else cast(log."n05" as double precision) end as n6,
        case when isnan(cast(log."n06" as double precision)) then null else cast(log."n06" as double precision) end as n7,
        case when isnan(cast(log."n07" as double precision)) then null else cast(log."n07" as double precision) end as n8,
        case when isnan(cast(log."n08" as double precision)) then null else cast(log."n08" as double precision) end as n9,
        case when isnan(cast(log."score" as double precision)) then null else cast(log."score" as double precision) end as n11,
        cast(log."c01" as TEXT) as c5,
        cast(log."c02" as TEXT) as c10,
        cast(log."predicted_label" as TEXT) as c12
    from log_1 as log
    cross join slices_1 as slices
    where cast(log."event_at" as timestamp) is not null
        and cast(log."event_at" as timestamp) >= 

    (cast('2026-01-30 00:00:00' as timestamp) + cast(-1 as bigint) * interval 1 day)
),

binned_1 as (
    select
        window_start,
        segment_name,
        segment_value,
        case
        when n1 is null then -1
        when n1 < -4.08989616979022763e+00 then 0
        when n1 <= -4.08989616979022763e+00 then 1
        when n1 > 4.61115370495085575e+00 then 1026
        else case when n1 <= 5.88464608075372000e-03 then case when n1 <= -1.28168988653171034e+00 then case when n1 <= -2.04585330230314355e+00 then case when n1 <= -2.30008404471133776e+00 then 2 + least(63, greatest(0, cast(ceil((n1 - -4.08989616979022763e+00) * 3.57579430283382749e+01) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n1 - -2.30008404471133776e+00) * 2.51739814759464707e+02) as integer) - 1)) end else case when n1 <= -1.66334743192633483e+00 then 130 + least(63, greatest(0, cast(ceil((n1 - -2.04585330230314355e+00) * 1.67317693547953212e+02) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n1 - -1.66334743192633483e+00) * 1.67689597054410598e+02) as integer) - 1)) end end else case when n1 <= -5.13243583950374282e-01 then case when n1 <= -8.30677178803072902e-01 then 258 + least(63, greatest(0, cast(ceil((n1 - -1.28168988653171034e+00) * 1.41902875247823687e+02) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n1 - -8.30677178803072902e-01) * 2.01616971353326534e+02) as integer) - 1)) end else case when n1 <= -2.37086617490505303e-01 then 386 + least(63, greatest(0, cast(ceil((n1 - -5.13243583950374282e-01) * 2.31752256046383138e+02) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n1 - -2.37086617490505303e-01) * 2.63405635132773511e+02) as integer) - 1)) end end end else case when n1 <= 1.28309290890239969e+00 then case when n1 <= 5.33087329520059883e-01 then case when n1 <= 2.58258610208786155e-01 then 514 + least(63, greatest(0, cast(ceil((n1 - 5.88464608075372000e-03) * 2.53591927444354013e+02) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n1 - 2.58258610208786155e-01) * 2.32872314656143942e+02) as integer) - 1)) end else case when n1 <= 8.54792516662155832e-01 then 642 + least(63, greatest(0, cast(ceil((n1 - 5.33087329520059883e-01) * 1.98939906964358158e+02) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n1 - 8.54792516662155832e-01) * 1.49427834201237147e+02) as integer) - 1)) end end else case when n1 <= 2.03011604832446801e+00 then case when n1 <= 1.66059173996015863e+00 then 770 + least(63, greatest(0, cast(ceil((n1 - 1.28309290890239969e+00) * 1.69536948818280507e+02) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n1 - 1.66059173996015863e+00) * 1.73195642482343004e+02) as integer) - 1)) end else case when n1 <= 2.28558509181609093e+00 then 898 + least(63, greatest(0, cast(ceil((n1 - 2.03011604832446801e+00) * 2.50519589869989943e+02) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n1 - 2.28558509181609093e+00) * 2.75201512604398282e+01) as integer) - 1)) end end end end
    end as b1,
        case when isfinite(n1) then n1 end as v1,
        case
        when n2 is null then -1
        when n2 < -3.63374115513531937e+00 then 0
        when n2 <= -3.63374115513531937e+00 then 1
        when n2 > 4.34286841589228523e+00 then 1026
        else case when n2 <= 1.34371707450460343e-01 then case when n2 <= -1.14283747151604209e+00 then case when n2 <= -1.90629715031140634e+00 then case when n2 <= -2.17970607573011321e+00 then 2 + least(63, greatest(0, cast(ceil((n2 - -3.63374115513531937e+00) * 4.40154442671218860e+01) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n2 - -2.17970607573011321e+00) * 2.34081604695195750e+02) as integer) - 1)) end else case when n2 <= -1.50020010491381028e+00 then 130 + least(63, greatest(0, cast(ceil((n2 - -1.90629715031140634e+00) * 1.57597797682422765e+02) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n2 - -1.50020010491381028e+00) * 1.79089792884875493e+02) as integer) - 1)) end end else case when n2 <= -3.94580428889866830e-01 then case when n2 <= -7.11065580431727517e-01 then 258 + least(63, greatest(0, cast(ceil((n2 - -1.14283747151604209e+00) * 1.48226416127450847e+02) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n2 - -7.11065580431727517e-01) * 2.02221177480849008e+02) as integer) - 1)) end else case when n2 <= -1.30567727715555054e-01 then 386 + least(63, greatest(0, cast(ceil((n2 - -3.94580428889866830e-01) * 2.42412579831697713e+02) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n2 - -1.30567727715555054e-01) * 2.41564642726351991e+02) as integer) - 1)) end end end else case when n2 <= 1.38791473256673670e+00 then case when n2 <= 6.45989441282928345e-01 then case when n2 <= 3.72919190954414170e-01 then 514 + least(63, greatest(0, cast(ceil((n2 - 1.34371707450460343e-01) * 2.68290400971424333e+02) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n2 - 3.72919190954414170e-01) * 2.34371924158730224e+02) as integer) - 1)) end else case when n2 <= 9.71685189666039228e-01 then 642 + least(63, greatest(0, cast(ceil((n2 - 6.45989441282928345e-01) * 1.96502411584193567e+02) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n2 - 9.71685189666039228e-01) * 1.53761310535491930e+02) as integer) - 1)) end end else case when n2 <= 2.19788719383924036e+00 then case when n2 <= 1.75596113740923077e+00 then 770 + least(63, greatest(0, cast(ceil((n2 - 1.38791473256673670e+00) * 1.73891115788480221e+02) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n2 - 1.75596113740923077e+00) * 1.44820607585368862e+02) as integer) - 1)) end else case when n2 <= 2.48395121072082503e+00 then 898 + least(63, greatest(0, cast(ceil((n2 - 2.19788719383924036e+00) * 2.23726145978340952e+02) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n2 - 2.48395121072082503e+00) * 3.44286447088410554e+01) as integer) - 1)) end end end end
    end as b2,
        case when isfinite(n2) then n2 end as v2,
        case
        when n3 is null then -1
        when n3 < -3.48148949479288916e+00 then 0
        when n3 <= -3.48148949479288916e+00 then 1
        when n3 > 3.68734891506147955e+00 then 1026
        else case when n3 <= 5.83466179483245907e-03 then case when n3 <= -1.28271032711139599e+00 then case when n3 <= -2.06006861835503674e+00 then case when n3 <= -2.31058970258781438e+00 then 2 + least(63, greatest(0, cast(ceil((n3 - -3.48148949479288916e+00) * 5.46588191628877311e+01) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n3 - -2.31058970258781438e+00) * 2.55467519614168992e+02) as integer) - 1)) end else case when n3 <= -1.65456223243109179e+00 then 130 + least(63, greatest(0, cast(ceil((n3 - -2.06006861835503674e+00) * 1.57827354196102760e+02) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n3 - -1.65456223243109179e+00) * 1.72111529037283447e+02) as integer) - 1)) end end else case when n3 <= -5.10320886237685789e-01 then case when n3 <= -8.44592899880302062e-01 then 258 + least(63, greatest(0, cast(ceil((n3 - -1.28271032711139599e+00) * 1.46079557721500777e+02) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n3 - -8.44592899880302062e-01) * 1.91460838442864656e+02) as integer) - 1)) end else case when n3 <= -2.36658497693785969e-01 then 386 + least(63, greatest(0, cast(ceil((n3 - -5.10320886237685789e-01) * 2.33864800861128884e+02) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n3 - -2.36658497693785969e-01) * 2.63924970646456018e+02) as integer) - 1)) end end end else case when n3 <= 1.26205752234549573e+00 then case when n3 <= 5.13111429162153909e-01 then case when n3 <= 2.55569406475145311e-01 then 514 + least(63, greatest(0, cast(ceil((n3 - 5.83466179483245907e-03) * 2.56271909949602104e+02) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n3 - 2.55569406475145311e-01) * 2.48503134875893039e+02) as integer) - 1)) end else case when n3 <= 8.19055282087395198e-01 then 642 + least(63, greatest(0, cast(ceil((n3 - 5.13111429162153909e-01) * 2.09188710242328938e+02) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n3 - 8.19055282087395198e-01) * 1.44468795378354116e+02) as integer) - 1)) end end else case when n3 <= 2.03949752924625027e+00 then case when n3 <= 1.61971765706426374e+00 then 770 + least(63, greatest(0, cast(ceil((n3 - 1.26205752234549573e+00) * 1.78940826184958752e+02) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n3 - 1.61971765706426374e+00) * 1.52460859229225207e+02) as integer) - 1)) end else case when n3 <= 2.34770714716492357e+00 then 898 + least(63, greatest(0, cast(ceil((n3 - 2.03949752924625027e+00) * 2.07650885239043902e+02) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n3 - 2.34770714716492357e+00) * 4.77739657972070120e+01) as integer) - 1)) end end end end
    end as b3,
        case when isfinite(n3) then n3 end as v3,
        case
        when n4 is null then -1
        when n4 < 2.45819719868682185e+00 then 0
        when n4 <= 2.45819719868682185e+00 then 1
        when n4 > 1.78925503282423293e+01 then 1026
        else case when n4 <= 1.00295577668437002e+01 then case when n4 <= 7.48373779166152531e+00 then case when n4 <= 5.88750846859729471e+00 then case when n4 <= 5.42829132558653615e+00 then 2 + least(63, greatest(0, cast(ceil((n4 - 2.45819719868682185e+00) * 2.15481386331703177e+01) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n4 - 5.42829132558653615e+00) * 1.39367619380229911e+02) as integer) - 1)) end else case when n4 <= 6.71849905488038246e+00 then 130 + least(63, greatest(0, cast(ceil((n4 - 5.88750846859729471e+00) * 7.70165162595446873e+01) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n4 - 6.71849905488038246e+00) * 8.36340306937492386e+01) as integer) - 1)) end end else case when n4 <= 8.95123395143799883e+00 then case when n4 <= 8.30761505763285690e+00 then 258 + least(63, greatest(0, cast(ceil((n4 - 7.48373779166152531e+00) * 7.76814734953822636e+01) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n4 - 8.30761505763285690e+00) * 9.94377272264730010e+01) as integer) - 1)) end else case when n4 <= 9.50690703874115250e+00 then 386 + least(63, greatest(0, cast(ceil((n4 - 8.95123395143799883e+00) * 1.15175633771667776e+02) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n4 - 9.50690703874115250e+00) * 1.22452713750822070e+02) as integer) - 1)) end end end else case when n4 <= 1.26083672960378426e+01 then case when n4 <= 1.10664396386302286e+01 then case when n4 <= 1.05406430096586430e+01 then 514 + least(63, greatest(0, cast(ceil((n4 - 1.00295577668437002e+01) * 1.25223729113175651e+02) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n4 - 1.05406430096586430e+01) * 1.21720065275387299e+02) as integer) - 1)) end else case when n4 <= 1.17118615198797844e+01 then 642 + least(63, greatest(0, cast(ceil((n4 - 1.10664396386302286e+01) * 9.91599477168237797e+01) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n4 - 1.17118615198797844e+01) * 7.13882740100901430e+01) as integer) - 1)) end end else case when n4 <= 1.41236809440590587e+01 then case when n4 <= 1.33437320033531233e+01 then 770 + least(63, greatest(0, cast(ceil((n4 - 1.26083672960378426e+01) * 8.70316447924942338e+01) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n4 - 1.33437320033531233e+01) * 8.20566535317982471e+01) as integer) - 1)) end else case when n4 <= 1.46217423014015395e+01 then 898 + least(63, greatest(0, cast(ceil((n4 - 1.41236809440590587e+01) * 1.28498224278001601e+02) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n4 - 1.46217423014015395e+01) * 1.95670303713349902e+01) as integer) - 1)) end end end end
    end as b4,
        case when isfinite(n4) then n4 end as v4,
        case
        when n6 is null then -1
        when n6 < 2.12138834631439704e+03 then 0
        when n6 <= 2.12138834631439704e+03 then 1
        when n6 > 1.85455786401001096e+05 then 1026
        else case when n6 <= 2.21184528812887693e+04 then case when n6 <= 1.02806538626070414e+04 then case when n6 <= 6.37575059159609373e+03 then case when n6 <= 5.50366678126847182e+03 then 2 + least(63, greatest(0, cast(ceil((n6 - 2.12138834631439704e+03) * 1.89221559462974843e-02) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n6 - 5.50366678126847182e+03) * 7.33874419431736341e-02) as integer) - 1)) end else case when n6 <= 8.31343903518287698e+03 then 130 + least(63, greatest(0, cast(ceil((n6 - 6.37575059159609373e+03) * 3.30290456197034274e-02) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n6 - 8.31343903518287698e+03) * 3.25333050096010337e-02) as integer) - 1)) end end else case when n6 <= 1.61206396421119989e+04 then case when n6 <= 1.33500005609086911e+04 then 258 + least(63, greatest(0, cast(ceil((n6 - 1.02806538626070414e+04) * 2.08513427418977743e-02) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n6 - 1.33500005609086911e+04) * 2.30993637656350219e-02) as integer) - 1)) end else case when n6 <= 1.88839756865906566e+04 then 386 + least(63, greatest(0, cast(ceil((n6 - 1.61206396421119989e+04) * 2.31604115351357852e-02) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n6 - 1.88839756865906566e+04) * 1.97868144208614184e-02) as integer) - 1)) end end end else case when n6 <= 4.72691263075072929e+04 then case when n6 <= 3.01877274215253383e+04 then case when n6 <= 2.57868312239721745e+04 then 514 + least(63, greatest(0, cast(ceil((n6 - 2.21184528812887693e+04) * 1.74464011128100359e-02) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n6 - 2.57868312239721745e+04) * 1.45424925122258266e-02) as integer) - 1)) end else case when n6 <= 3.65333929128355521e+04 then 642 + least(63, greatest(0, cast(ceil((n6 - 3.01877274215253383e+04) * 1.00856246027531578e-02) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n6 - 3.65333929128355521e+04) * 5.96139990135782262e-03) as integer) - 1)) end end else case when n6 <= 7.78833439075957722e+04 then case when n6 <= 6.01020099810039974e+04 then 770 + least(63, greatest(0, cast(ceil((n6 - 4.72691263075072929e+04) * 4.98718773023532590e-03) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n6 - 6.01020099810039974e+04) * 3.59928002388441469e-03) as integer) - 1)) end else case when n6 <= 9.26371493995764904e+04 then 898 + least(63, greatest(0, cast(ceil((n6 - 7.78833439075957722e+04) * 4.33786388432371231e-03) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n6 - 9.26371493995764904e+04) * 6.89516696943284269e-04) as integer) - 1)) end end end end
    end as b6,
        case when isfinite(n6) then n6 end as v6,
        case
        when n7 is null then -1
        when n7 < 2.23351802012772271e-02 then 0
        when n7 <= 2.23351802012772271e-02 then 1
        when n7 > 9.99897501688282091e+01 then 1026
        else case when n7 <= 4.89687567242518469e+01 then case when n7 <= 9.65142433648396647e+00 then case when n7 <= 2.05205168439244723e+00 then case when n7 <= 1.00129016875571408e+00 then 2 + least(63, greatest(0, cast(ceil((n7 - 2.23351802012772271e-02) * 6.53758352000482716e+01) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n7 - 1.00129016875571408e+00) * 6.09082070932315460e+01) as integer) - 1)) end else case when n7 <= 4.70059591107994645e+00 then 130 + least(63, greatest(0, cast(ceil((n7 - 2.05205168439244723e+00) * 2.41642179711848684e+01) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n7 - 4.70059591107994645e+00) * 1.29271294621318216e+01) as integer) - 1)) end end else case when n7 <= 2.98840157961656914e+01 then case when n7 <= 1.99313432181921719e+01 then 258 + least(63, greatest(0, cast(ceil((n7 - 9.65142433648396647e+00) * 6.22573006036845022e+00) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n7 - 1.99313432181921719e+01) * 6.43043358440624502e+00) as integer) - 1)) end else case when n7 <= 3.96072403283512742e+01 then 386 + least(63, greatest(0, cast(ceil((n7 - 2.98840157961656914e+01) * 6.58217855487639358e+00) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n7 - 3.96072403283512742e+01) * 6.83649926928779728e+00) as integer) - 1)) end end end else case when n7 <= 8.93919647952216962e+01 then case when n7 <= 6.94025990499532526e+01 then case when n7 <= 5.91845177271650016e+01 then 514 + least(63, greatest(0, cast(ceil((n7 - 4.89687567242518469e+01) * 6.26482941229239643e+00) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n7 - 5.91845177271650016e+01) * 6.26340679607510165e+00) as integer) - 1)) end else case when n7 <= 7.94419160295307023e+01 then 642 + least(63, greatest(0, cast(ceil((n7 - 6.94025990499532526e+01) * 6.37493567841243003e+00) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n7 - 7.94419160295307023e+01) * 6.43212927967548875e+00) as integer) - 1)) end end else case when n7 <= 9.79716402737104772e+01 then case when n7 <= 9.49109581150576957e+01 then 770 + least(63, greatest(0, cast(ceil((n7 - 8.93919647952216962e+01) * 1.15963177143149370e+01) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n7 - 9.49109581150576957e+01) * 2.09103711795317011e+01) as integer) - 1)) end else case when n7 <= 9.90411094673864483e+01 then 898 + least(63, greatest(0, cast(ceil((n7 - 9.79716402737104772e+01) * 5.98427709544579827e+01) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n7 - 9.90411094673864483e+01) * 6.74649526451180890e+01) as integer) - 1)) end end end end
    end as b7,
        case when isfinite(n7) then n7 end as v7,
        case
        when n8 is null then -1
        when n8 < 0.00000000000000000e+00 then 0
        when n8 <= 0.00000000000000000e+00 then 1
        when n8 > 9.00000000000000000e+00 then 578
        else case when n8 <= 5.00000000000000000e+00 then case when n8 <= 3.00000000000000000e+00 then case when n8 <= 2.00000000000000000e+00 then case when n8 <= 1.00000000000000000e+00 then 2 + least(63, greatest(0, cast(ceil((n8 - 0.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n8 - 1.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) end else 130 + least(63, greatest(0, cast(ceil((n8 - 2.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) end else case when n8 <= 4.00000000000000000e+00 then 194 + least(63, greatest(0, cast(ceil((n8 - 3.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) else 258 + least(63, greatest(0, cast(ceil((n8 - 4.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) end end else case when n8 <= 7.00000000000000000e+00 then case when n8 <= 6.00000000000000000e+00 then 322 + least(63, greatest(0, cast(ceil((n8 - 5.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) else 386 + least(63, greatest(0, cast(ceil((n8 - 6.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) end else case when n8 <= 8.00000000000000000e+00 then 450 + least(63, greatest(0, cast(ceil((n8 - 7.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) else 514 + least(63, greatest(0, cast(ceil((n8 - 8.00000000000000000e+00) * 6.40000000000000000e+01) as integer) - 1)) end end end
    end as b8,
        case when isfinite(n8) then n8 end as v8,
        case
        when n9 is null then -1
        when n9 < 2.82970321421360498e-05 then 0
        when n9 <= 2.82970321421360498e-05 then 1
        when n9 > 3.00002688332519796e+01 then 1026
        else case when n9 <= 2.11774480099730411e+00 then case when n9 <= 3.02138437469395782e-01 then case when n9 <= 5.57957139031615840e-02 then case when n9 <= 2.77356649076121523e-02 then 2 + least(63, greatest(0, cast(ceil((n9 - 2.82970321421360498e-05) * 2.30985491973276567e+03) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n9 - 2.77356649076121523e-02) * 2.28082281717152227e+03) as integer) - 1)) end else case when n9 <= 1.44356097534617256e-01 then 130 + least(63, greatest(0, cast(ceil((n9 - 5.57957139031615840e-02) * 7.22670762881247356e+02) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n9 - 1.44356097534617256e-01) * 4.05622074222344963e+02) as integer) - 1)) end end else case when n9 <= 1.06794616830739075e+00 then case when n9 <= 6.65609985352201505e-01 then 258 + least(63, greatest(0, cast(ceil((n9 - 3.02138437469395782e-01) * 1.76079806996710374e+02) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n9 - 6.65609985352201505e-01) * 1.59070952878051457e+02) as integer) - 1)) end else case when n9 <= 1.54655875607769655e+00 then 386 + least(63, greatest(0, cast(ceil((n9 - 1.06794616830739075e+00) * 1.33719842802619041e+02) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n9 - 1.54655875607769655e+00) * 1.12047555379277128e+02) as integer) - 1)) end end end else case when n9 <= 6.92784924405527569e+00 then case when n9 <= 3.67986140535167117e+00 then case when n9 <= 2.77894840286455658e+00 then 514 + least(63, greatest(0, cast(ceil((n9 - 2.11774480099730411e+00) * 9.67931811309900496e+01) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n9 - 2.77894840286455658e+00) * 7.10390457494982854e+01) as integer) - 1)) end else case when n9 <= 4.87634358310140748e+00 then 642 + least(63, greatest(0, cast(ceil((n9 - 3.67986140535167117e+00) * 5.34901406725229478e+01) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n9 - 4.87634358310140748e+00) * 3.11965992676045332e+01) as integer) - 1)) end end else case when n9 <= 1.19290410185538356e+01 then case when n9 <= 8.99687615176197042e+00 then 770 + least(63, greatest(0, cast(ceil((n9 - 6.92784924405527569e+00) * 3.09324155048990974e+01) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n9 - 8.99687615176197042e+00) * 2.18268763550200937e+01) as integer) - 1)) end else case when n9 <= 1.35530010222257644e+01 then 898 + least(63, greatest(0, cast(ceil((n9 - 1.19290410185538356e+01) * 3.94098375916216384e+01) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n9 - 1.35530010222257644e+01) * 3.89122380296468018e+00) as integer) - 1)) end end end end
    end as b9,
        case when isfinite(n9) then n9 end as v9,
        case
        when n11 is null then -1
        when n11 < 2.04062845201585866e-02 then 0
        when n11 <= 2.04062845201585866e-02 then 1
        when n11 > 9.66653500488639184e-01 then 1026
        else case when n11 <= 3.79085414596031789e-01 then case when n11 <= 1.51948642967530578e-01 then case when n11 <= 7.83870542002291087e-02 then case when n11 <= 6.35741119156908868e-02 then 2 + least(63, greatest(0, cast(ceil((n11 - 2.04062845201585866e-02) * 1.48258561668136554e+03) as integer) - 1)) else 66 + least(63, greatest(0, cast(ceil((n11 - 6.35741119156908868e-02) * 4.32054609885325226e+03) as integer) - 1)) end else case when n11 <= 1.13255843807203285e-01 then 130 + least(63, greatest(0, cast(ceil((n11 - 7.83870542002291087e-02) * 1.83545229763866632e+03) as integer) - 1)) else 194 + least(63, greatest(0, cast(ceil((n11 - 1.13255843807203285e-01) * 1.65405453699045938e+03) as integer) - 1)) end end else case when n11 <= 2.69517031543906105e-01 then case when n11 <= 2.14720723842189931e-01 then 258 + least(63, greatest(0, cast(ceil((n11 - 1.51948642967530578e-01) * 1.01956154883239424e+03) as integer) - 1)) else 322 + least(63, greatest(0, cast(ceil((n11 - 2.14720723842189931e-01) * 1.16796190627266606e+03) as integer) - 1)) end else case when n11 <= 3.24068284636736037e-01 then 386 + least(63, greatest(0, cast(ceil((n11 - 2.69517031543906105e-01) * 1.17320861339502358e+03) as integer) - 1)) else 450 + least(63, greatest(0, cast(ceil((n11 - 3.24068284636736037e-01) * 1.16327405750445723e+03) as integer) - 1)) end end end else case when n11 <= 6.72537193693550028e-01 then case when n11 <= 5.00774906104913597e-01 then case when n11 <= 4.37598258530459250e-01 then 514 + least(63, greatest(0, cast(ceil((n11 - 3.79085414596031789e-01) * 1.09377695043709946e+03) as integer) - 1)) else 578 + least(63, greatest(0, cast(ceil((n11 - 4.37598258530459250e-01) * 1.01303254378250006e+03) as integer) - 1)) end else case when n11 <= 5.72821556485300865e-01 then 642 + least(63, greatest(0, cast(ceil((n11 - 5.00774906104913597e-01) * 8.88313331183294736e+02) as integer) - 1)) else 706 + least(63, greatest(0, cast(ceil((n11 - 5.72821556485300865e-01) * 6.41825111806089694e+02) as integer) - 1)) end end else case when n11 <= 8.06147260676490451e-01 then case when n11 <= 7.42889450799374407e-01 then 770 + least(63, greatest(0, cast(ceil((n11 - 6.72537193693550028e-01) * 9.09707842119844599e+02) as integer) - 1)) else 834 + least(63, greatest(0, cast(ceil((n11 - 7.42889450799374407e-01) * 1.01173278247106134e+03) as integer) - 1)) end else case when n11 <= 8.44146395417638806e-01 then 898 + least(63, greatest(0, cast(ceil((n11 - 8.06147260676490451e-01) * 1.68424887661181219e+03) as integer) - 1)) else 962 + least(63, greatest(0, cast(ceil((n11 - 8.44146395417638806e-01) * 5.22418679005663193e+02) as integer) - 1)) end end end end
    end as b11,
        case when isfinite(n11) then n11 end as v11
    from values_1
),

numeric_long_1 as (
    select
        window_start,
        segment_name,
        segment_value,
        unnest([1, 2, 3, 4, 6, 7, 8, 9, 11]) as feature_index,
        unnest([b1, b2, b3, b4, b6, b7, b8, b9, b11]) as bin_index,
        unnest([v1, v2, v3, v4, v6, v7, v8, v9, v11]) as finite_value
    from binned_1
),

numeric_profiles_1 as (
    select
        window_start, segment_name, segment_value, feature_index, bin_index,
        cast(null as TEXT) as category,
        count(*) as n_rows,
        count(finite_value) as n_finite,
        sum(finite_value) as sum_value,
        sum(finite_value * finite_value) as sum_squares,
        min(finite_value) as min_value,
        max(finite_value) as max_value
    from numeric_long_1
    group by window_start, segment_name, segment_value, feature_index, bin_index
),

categorical_long_1 as (
    select
        window_start,
        segment_name,
        segment_value,
        unnest([5, 10, 12]) as feature_index,
        unnest([c5, c10, c12]) as category
    from values_1
),

categorical_profiles_1 as (
    select
        window_start, segment_name, segment_value, feature_index,
        case when category is null then -1 end as bin_index,
        category,
        count(*) as n_rows,
        cast(0 as bigint) as n_finite,
        cast(null as double precision) as sum_value,
        cast(null as double precision) as sum_squares,
        cast(null as double precision) as min_value,
        cast(null as double precision) as max_value
    from categorical_long_1
    group by window_start, segment_name, segment_value, feature_index, category
),

profiled_1 as (
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        profiles.window_start,
        

    (profiles.window_start + cast(1 as bigint) * interval 1 day) as window_end,
        profiles.segment_name,
        profiles.segment_value,
        profiles.feature_index,
        features.feature_name,
        features.feature_kind,
        features.feature_role,
        profiles.bin_index,
        profiles.category,
        profiles.n_rows,
        profiles.n_finite,
        profiles.sum_value,
        profiles.sum_squares,
        profiles.min_value,
        profiles.max_value
    from (
        select * from numeric_profiles_1
        union all
        select * from categorical_profiles_1
    ) as profiles
    inner join features_1 as features on features.feature_index = profiles.feature_index
),

typed_empty as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as reference_id,
        cast(null as timestamp) as window_start,
        cast(null as timestamp) as window_end,
        cast(null as TEXT) as segment_name,
        cast(null as TEXT) as segment_value,
        cast(null as integer) as feature_index,
        cast(null as TEXT) as feature_name,
        cast(null as TEXT) as feature_kind,
        cast(null as TEXT) as feature_role,
        cast(null as integer) as bin_index,
        cast(null as TEXT) as category,
        cast(null as bigint) as n_rows,
        cast(null as bigint) as n_finite,
        cast(null as double precision) as sum_value,
        cast(null as double precision) as sum_squares,
        cast(null as double precision) as min_value,
        cast(null as double precision) as max_value
    where 1 = 0
),

final as (
    select * from typed_empty
    union all
    select * from profiled_1
)

select * from final