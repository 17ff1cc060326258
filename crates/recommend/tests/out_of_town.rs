//! The out-of-town evaluation on the real UPTDNet file: travellers between Washington and
//! Baltimore, the new venues of each one's last visit held out.

use std::path::PathBuf;
use tripsmith_model::NoProgress;
use tripsmith_recommend::crosscity::{find_cross_city, read_cross_city};
use tripsmith_recommend::eval::Ranker;
use tripsmith_recommend::outoftown::{city_regions, split_visits, NameTransfer};

fn uptdnet() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../../shared/data/checkins/UPTDNet")
}

#[test]
fn the_file_reads_as_the_data_set_describes_it() {
    let file = find_cross_city(&uptdnet()).expect("one cross-city CSV in the folder");
    let cc = read_cross_city(&file).unwrap();
    // SOURCE.md: 29,593 check-ins, 141 travellers (84 Washingtonians, 57 Baltimoreans),
    // 355 venue categories.
    assert_eq!(cc.data.events.len(), 29_593);
    assert_eq!(cc.data.users, 141);
    assert_eq!(cc.cities, ["Washington", "Baltimore"]);
    let washingtonians = cc.home_city.iter().filter(|&&c| c == 0).count();
    assert_eq!((washingtonians, cc.data.users - washingtonians), (84, 57));
    let categories: std::collections::BTreeSet<&String> = cc.categories.iter().collect();
    assert_eq!(categories.len(), 355);
    // Every traveller visited the other city; visits are runs of check-ins there.
    let visits = cc.visits();
    assert!(visits.iter().all(|v| !v.is_empty()));
    let away: usize = visits.iter().flatten().map(Vec::len).sum();
    assert_eq!(away, 2_682 + 1_669);
}

#[test]
fn the_split_hides_the_last_visit_and_keeps_only_new_venues() {
    let cc = read_cross_city(&find_cross_city(&uptdnet()).unwrap()).unwrap();
    let (homes, visits, regions) = (cc.homes(), cc.visits(), city_regions(&cc));
    let test = split_visits(&cc, &visits, &homes, 1);
    let last: usize = visits.iter().map(|v| v.last().map_or(0, Vec::len)).sum();
    assert_eq!(test.train.len(), cc.data.events.len() - last);
    assert_eq!(test.cases.len() + test.revisits, cc.data.users);
    assert!(test.cases.len() > 80, "{}", test.cases.len());
    for case in &test.cases {
        assert_eq!(case.region, 1 - cc.home_city[case.user], "the destination is the other city");
        assert!(case.targets.iter().all(|&p| regions.of[p] == case.region));
        let known = test.train.iter().any(|e| e.user == case.user && case.targets.contains(&e.poi));
        assert!(!known, "a target the traveller checked in at in training");
    }
    // The validation split hides the last two visits.
    let validation = split_visits(&cc, &visits, &homes, 2);
    assert!(validation.train.len() < test.train.len());
    // Category transfer ranks a venue of the traveller's favourite category above one of a
    // category they never checked in at, popularity being equal.
    let transfer = NameTransfer::new(&cc, &test.train);
    let case = &test.cases[0];
    let scores = transfer.scores(case, &regions.members[case.region]);
    assert_eq!(scores.len(), regions.members[case.region].len());
    assert!(scores.iter().all(|s| *s > 0.0));
}

#[test]
fn every_model_runs_on_the_out_of_town_task() {
    let cc = read_cross_city(&find_cross_city(&uptdnet()).unwrap()).unwrap();
    let report = tripsmith_recommend::outoftown::run_out_of_town(&cc, 1, &NoProgress).unwrap();
    let names: Vec<&str> = report.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["category-transfer", "top", "top-visitors", "distance-aware", "bpr-mf", "intention"]);
    let random = 10.0 / report.stats.mean_candidates;
    for m in &report.models {
        assert_eq!(m.cases.len(), report.stats.test_cases);
        assert!(m.summary.recall10.mean > random, "{}: {:?}", m.name, m.summary);
        assert!(m.summary.recall10.ci95 > 0.0, "{}", m.name);
    }
}
