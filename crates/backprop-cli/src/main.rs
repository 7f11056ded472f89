//! `backprop train --config PLAN --out MODEL [--data DIR] [--mnist-test DIR]`
//! `backprop evaluate --model MODEL [--data DIR] [--mnist-test DIR]`

use std::path::PathBuf;
use std::process::ExitCode;

use backprop_cli::{load_embedded, load_mnist_test, recorded_accuracy, train, Plan};
use backprop_formats::Model;

const USAGE: &str = "usage:
  backprop train --config PLAN.json --out MODEL.json [--data DIR] [--mnist-test DIR]
  backprop evaluate --model MODEL.json [--data DIR] [--mnist-test DIR]
defaults: --data www/data, --mnist-test ../shared/data/mnist";

struct Args {
    command: String,
    config: Option<PathBuf>,
    out: Option<PathBuf>,
    model: Option<PathBuf>,
    data: PathBuf,
    mnist_test: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut raw = std::env::args().skip(1);
    let command = raw.next().ok_or("no command given")?;
    let mut args = Args {
        command,
        config: None,
        out: None,
        model: None,
        data: "www/data".into(),
        mnist_test: "../shared/data/mnist".into(),
    };
    while let Some(flag) = raw.next() {
        let value = raw
            .next()
            .map(PathBuf::from)
            .ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--config" => args.config = Some(value),
            "--out" => args.out = Some(value),
            "--model" => args.model = Some(value),
            "--data" => args.data = value,
            "--mnist-test" => args.mnist_test = value,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

fn run(args: Args) -> Result<(), String> {
    let data = load_embedded(&args.data).map_err(|e| e.to_string())?;
    let test = load_mnist_test(&args.mnist_test).map_err(|e| e.to_string())?;
    if test.is_none() {
        eprintln!(
            "note: no MNIST test set at {}; test accuracy not measured",
            args.mnist_test.display()
        );
    }
    match args.command.as_str() {
        "train" => {
            let config = args.config.ok_or("train needs --config")?;
            let out = args.out.ok_or("train needs --out")?;
            let text = std::fs::read_to_string(&config)
                .map_err(|e| format!("{}: {e}", config.display()))?;
            let plan = Plan::from_json(&text).map_err(|e| e.to_string())?;
            let model = train(&plan, &data, test.as_ref()).map_err(|e| e.to_string())?;
            let json = model.to_json().map_err(|e| e.to_string())?;
            std::fs::write(&out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
            report(&model, &out);
        }
        "evaluate" => {
            let path = args.model.ok_or("evaluate needs --model")?;
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let model = Model::from_json(&text).map_err(|e| e.to_string())?;
            let held_out = model
                .network
                .evaluate(&data.held_out)
                .map_err(|e| e.to_string())?;
            println!(
                "{}: held-out accuracy {:.2}%",
                path.display(),
                held_out.accuracy * 100.0
            );
            if let Some(test) = &test {
                let result = model.network.evaluate(test).map_err(|e| e.to_string())?;
                println!(
                    "{}: MNIST test accuracy {:.2}%",
                    path.display(),
                    result.accuracy * 100.0
                );
            }
        }
        other => return Err(format!("unknown command {other}")),
    }
    Ok(())
}

fn report(model: &Model, out: &std::path::Path) {
    let sizes: Vec<String> = model
        .network
        .sizes()
        .iter()
        .map(|s| s.to_string())
        .collect();
    print!("{}: {}", out.display(), sizes.join("-"));
    for key in ["heldOutAccuracy", "testAccuracy"] {
        if let Some(a) = recorded_accuracy(model, key) {
            print!(", {key} {:.2}%", a * 100.0);
        }
    }
    println!();
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("backprop: {message}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}
