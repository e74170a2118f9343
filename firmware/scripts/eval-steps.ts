// Placeholder until issue 3 lands this command.
console.log("firmware eval-steps: not implemented yet (issue 3)");
