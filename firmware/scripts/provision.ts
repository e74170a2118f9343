// Placeholder until issue 3 lands this command.
console.log("firmware provision: not implemented yet (issue 3)");
