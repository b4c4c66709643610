//! `sleep DURATION...`: waits for the sum of its operands.

use mirage_core::{Command, CommandContext, CommandResult, async_trait};

use super::duration::parse_duration;
use crate::commands::common::usage_error;
use crate::commands::quoting::lquote;

pub struct Sleep;

#[async_trait]
impl Command for Sleep {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let operands: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
        if operands.is_empty() {
            return usage_error(ctx, "missing operand", 1).await;
        }
        let mut total = std::time::Duration::ZERO;
        for op in operands {
            match parse_duration(op) {
                Some(d) => total += d,
                None => {
                    return usage_error(ctx, &format!("invalid time interval {}", lquote(op)), 1)
                        .await;
                }
            }
        }
        tokio::time::sleep(total).await;
        Ok(0)
    }
}
