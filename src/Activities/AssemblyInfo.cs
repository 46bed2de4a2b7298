namespace WeOps.Activities;
