// Placeholder until issue 3 lands this command.
console.log("firmware energy: not implemented yet (issue 3)");
