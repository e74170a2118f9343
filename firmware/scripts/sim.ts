// Placeholder until issue 3 lands this command.
console.log("firmware sim: not implemented yet (issue 3)");
